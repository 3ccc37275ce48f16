"""What a document says about itself besides its text, each value knowing its source.

    model      the Metadata record (imports nothing else of accord's but DateSource)
    extract    extract_metadata: title, date, organisations, people, places, type, symbol
    dates      dates in text ("24.02.2021 - Press release", datelines) and in metadata
    people     people named with a role or as speakers
    places     countries (pycountry) and regions (places.toml) as a Gazetteer
    orgs       the organisation gazetteer (orgs.toml) and the web sites of organisations
    gazetteer  canonical names, acronyms and aliases, matched in text
    prior      what a folder's documents usually are (issuer, year), learned from a sample
    overrides  fields given by the user or the page laid over what was extracted
    usermeta   `accord index --metadata FILE`: fields per file, JSON Lines or CSV

Nothing is imported here.
"""
