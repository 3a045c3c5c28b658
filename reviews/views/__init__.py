"""The amendment pages, one module per part of the dossier."""
