"""kitgen: role files in, job ads, interview kits and offer letters out (PDF, DOCX, HTML)."""

__version__ = "0.1.0"
