"""Bytes -> files: the safe, atomic writer (`files`), the output folder and its manifest
(`folder.OutputFolder`, the one owner of what kitgen wrote), and `produce` (one document's files)."""
