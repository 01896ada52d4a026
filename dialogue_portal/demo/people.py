"""The demo accounts: one per role, sharing one password (`DEMO_PASSWORD`, documented in the README)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from dialogue_portal.demo.world import DemoWorld
from units.models import ROLE_GROUPS, Membership, Role

DEMO_PASSWORD = "Demo@2200"  # noqa: S105 (documented demo password, never used in production)

ACCOUNTS = [
    # username, first name, last name, role, unit key, organisation key, position
    ("admin", "Quản trị", "hệ thống", None, None, None, "Quản trị hệ thống"),
    ("canbo.xuandinh", "Lan", "Nguyễn Thị", Role.UNIT_OFFICIAL, "Xuân Đỉnh", None, "Chuyên viên Văn phòng HĐND-UBND"),
    ("canbo.phudien", "Minh", "Trần Văn", Role.UNIT_OFFICIAL, "Phú Diễn", None, "Chuyên viên Văn phòng Đảng ủy"),
    ("giamsat.thanhpho", "Hà", "Lê Thu", Role.SUPERVISOR, "city", "dan_van", "Chuyên viên Ban Dân vận Thành ủy"),
    ("chutich.xuandinh", "Hùng", "Phạm Quốc", Role.CHAIR, "Xuân Đỉnh", "ubnd", "Chủ tịch UBND phường"),
    ("xuly.xuandinh", "Tuấn", "Đỗ Anh", Role.HANDLING_OFFICER, "Xuân Đỉnh", "kinh_te", "Chuyên viên phòng"),
    ("mttq.thanhpho", "Mai", "Vũ Thị", Role.FRONT_SUPERVISOR, "city", "mttq", "Cán bộ Ủy ban MTTQ Thành phố"),
]


def install_accounts(world: DemoWorld) -> None:
    """Create one account per role (password `DEMO_PASSWORD`), with its group and unit membership."""
    User = get_user_model()
    for username, first, last, role, unit_key, org_key, title in ACCOUNTS:
        user = User.objects.filter(username=username).first()
        # Only the administrator uses the Django admin; officials work in the portal.
        is_admin = role is None
        if user is None:
            user = User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@doithoai.local",
                is_staff=is_admin,
                is_superuser=is_admin,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        elif (user.is_staff, user.is_superuser) != (is_admin, is_admin):
            user.is_staff = user.is_superuser = is_admin  # an earlier demo made officials staff: correct it
            user.save(update_fields=["is_staff", "is_superuser"])
        world.users[username] = user
        if role is None:
            world.accounts.append((username, "Superuser", "—"))
            continue
        unit = world.city if unit_key == "city" else world.new[unit_key]
        org = world.orgs[(unit.pk, org_key)] if org_key else None
        Membership.objects.get_or_create(
            user=user, unit=unit, role=role, defaults={"organisation": org, "title": title}
        )
        user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
        label = Role(role).label
        world.accounts.append((username, str(label), f"{unit}{f' — {org}' if org else ''}"))
