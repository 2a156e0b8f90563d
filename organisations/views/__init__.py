"""The pages of organisations: accounts, and the organisations applicants act for."""
