"""The pure core of the CCHC dashboard: models, store, rules, queries, import. No streamlit here."""
