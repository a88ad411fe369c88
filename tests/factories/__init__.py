"""Small per-domain factories for tests on the bare database (`bare_session`: the GCM process and the
reference registry only). Each goes through the domain's own service, so what it makes is what a user
would have made, audit events included.
"""
