"""The thin Streamlit shell shared by the pages: cached reads, filters, formatting, downloads."""
