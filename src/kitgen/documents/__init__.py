"""Validated role data -> one rendered page per document (HTML and its metadata); no format, no file.

`render` makes the job ad, the interview kit and the offer letter; `rendered` names them; `context`
builds what templates see; `offer` and `pay` hold the rules of an offer and of salary bands;
`templating`, `formatting`, `htmltree` and `jobposting` serve them.
"""
