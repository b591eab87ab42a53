"""Search over every customer: the customer index (filled by the sync), never Wonder.

``terms`` reads what was typed, ``queryset`` builds the query, ``service`` runs it with the
index's status and paging, ``records`` turns rows into the records the customer table
renders, ``audit`` records each search without its text, ``views`` answers the page.
"""
