"""Reading the user's files: the project and its settings, role and company files, candidates.

Everything a user typed enters kitgen here and leaves validated, every problem with its place:
`project` (kitgen.toml, the one role resolver), `yamlsafe` and `loading` (YAML with positions,
schema checks), `model` (the schemas), `branding` (brand checks), `candidates` (the candidates
file), `values` (the one date, amount and name parser), `languages`.
"""
