"""Scripts that seed data at scale and print measured figures; run each as a script."""
