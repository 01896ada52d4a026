def test_world_builds_and_scopes_units(world):
    from units.permissions import unit_ids_in_scope

    assert unit_ids_in_scope(world.alice) == {world.ward_a.pk}
    assert unit_ids_in_scope(world.sam) == {world.district.pk, world.ward_a.pk, world.ward_b.pk}
    assert unit_ids_in_scope(world.stranger) == frozenset()


def test_every_page_has_the_portal_icon_and_favicon_ico_leads_to_it(client, db):
    from django.contrib.staticfiles import finders

    page = client.get("/").content.decode()
    assert 'rel="icon" href="/static/img/favicon.svg"' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response.url == "/static/img/favicon.svg"
    assert finders.find("img/favicon.svg")
