"""The pages of grants: public pages, the application form and the applicant's own pages."""
