"""The editors' shared core: form model, documents, services. Never imports Textual or NiceGUI."""
