"""Seed the categories (lĩnh vực) from the brief, in order, "khác" last. Administrators edit them."""

from django.db import migrations

CATEGORIES = [
    "Đất đai",
    "Giải phóng mặt bằng",
    "Bồi thường, hỗ trợ, tái định cư",
    "Quy hoạch",
    "Trật tự xây dựng",
    "Quản lý đô thị, hạ tầng giao thông",
    "Môi trường, vệ sinh, rác thải",
    "Thoát nước, ngập úng",
    "An ninh trật tự",
    "An toàn giao thông",
    "Nhà chung cư",
    "Điện, nước sạch",
    "Chính sách xã hội, người có công",
    "Y tế, BHYT",
    "Giáo dục",
    "Văn hóa, thể thao",
    "Cải cách hành chính",
    "Tài chính, thuế",
    "Thái độ, trách nhiệm của cán bộ",
    "Phòng chống dịch",
    "Khác",
]


def forwards(apps, schema_editor):
    Category = apps.get_model("petitions", "Category")
    for order, name in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(name=name, defaults={"order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("petitions", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
