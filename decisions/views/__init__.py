"""Pages of the decisions app: the applicant's letter, and the deciding side of the officer
workspace (proposals to decide, committee decisions, the call overview)."""
