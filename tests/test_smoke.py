def test_world_builds_and_scopes_units(world):
    from units.permissions import unit_ids_in_scope

    assert unit_ids_in_scope(world.alice) == {world.ward_a.pk}
    assert unit_ids_in_scope(world.sam) == {world.district.pk, world.ward_a.pk, world.ward_b.pk}
    assert unit_ids_in_scope(world.stranger) == frozenset()
