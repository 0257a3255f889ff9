"""`kitgen preview`: the project's documents in a browser, reloaded when their files change.

`site` answers each address with a page (the document's HTML as it will print, its PDF or DOCX
rendered on demand, the list of documents, or the list of problems while a file is invalid); `server`
serves them on 127.0.0.1 with server-sent events that tell open pages to reload. Nothing is written:
PDF and DOCX are rendered in memory for the browser, the output folder is left alone.
"""
