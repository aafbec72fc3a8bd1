"""Reports: pandas queries, matplotlib charts, CSV and PDF export."""
