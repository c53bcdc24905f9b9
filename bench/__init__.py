"""Load benchmark: synthetic fichas (`generator`), the ETL and the pages measured at growing sizes (`python -m bench`)."""
