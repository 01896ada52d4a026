"""Vietnamese first: the catalogue is complete, compiled, faithful to the source, and used.

The portal speaks Vietnamese by default (BRIEF §5). These tests read the committed catalogue
`locale/vi/LC_MESSAGES/django.po` with a small parser (no extra dependency) and check that
every string is translated, that the compiled `.mo` Django loads says the same, that the
catalogue covers every string the source marks for translation today, and that the models'
names, field names and choice labels really change language.
"""

import re
import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

BASE_DIR = Path(settings.BASE_DIR)
VI_PO = BASE_DIR / "locale" / "vi" / "LC_MESSAGES" / "django.po"

PROJECT_APPS = [
    "audit",
    "units",
    "rules",
    "conferences",
    "petitions",
    "followup",
    "notifications",
    "reports",
    "citizens",
]

# Strings that are legitimately the same in both languages (codes, formats, proper names).
SAME_IN_BOTH = {
    "Excel (XLSX)",
    "JSON",
    "PDF",
    "CSV",
}

PLACEHOLDER = re.compile(r"%\([^)]*\)[sdifr]|%[sdif]|\{[A-Za-z_][\w.]*\}")
HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")


# --- a minimal reader for GNU gettext PO files -------------------------------------------------


def _unquote(text: str) -> str:
    body = text.strip()
    assert body.startswith('"') and body.endswith('"'), body
    body = body[1:-1]
    replacements = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}
    return re.sub(r"\\(.)", lambda m: replacements.get(m.group(1), m.group(1)), body)


def read_po(path: Path) -> list[dict]:
    """Return the live entries of a PO file: msgctxt, msgid, msgid_plural, msgstr(s), flags.

    GNU gettext writes one entry per block, blocks separated by a blank line.
    """
    entries: list[dict] = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry: dict = {"flags": set()}
        field = None
        for raw in block.splitlines():
            line = raw.strip()
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#") or not line:
                continue  # comments, references and obsolete (#~) entries
            elif line.startswith('"'):
                entry[field] += _unquote(line)
            else:
                field, _space, value = line.partition(" ")
                assert re.fullmatch(r"msgctxt|msgid|msgid_plural|msgstr(\[\d+\])?", field), raw
                entry[field] = _unquote(value)
        if "msgid" in entry:
            entries.append(entry)
    return entries


def translations_of(entry: dict) -> list[str]:
    if "msgid_plural" in entry:
        return [value for key, value in entry.items() if key.startswith("msgstr[")]
    return [entry.get("msgstr", "")]


@pytest.fixture(scope="module")
def vi_entries():
    entries = read_po(VI_PO)
    assert entries, "the Vietnamese catalogue is empty"
    return entries


def _messages(entries):
    return [e for e in entries if e["msgid"]]  # skip the header


# --- (a) the catalogue itself ------------------------------------------------------------------


def test_vietnamese_catalogue_header_declares_one_plural_form(vi_entries):
    header = next(e for e in vi_entries if e["msgid"] == "")
    assert "Language: vi\n" in header["msgstr"]
    assert "Plural-Forms: nplurals=1; plural=0;\n" in header["msgstr"]
    assert "fuzzy" not in header["flags"]


def test_every_message_has_a_vietnamese_translation(vi_entries):
    untranslated = [e["msgid"] for e in _messages(vi_entries) if not all(t.strip() for t in translations_of(e))]
    assert untranslated == []


def test_no_translation_is_fuzzy(vi_entries):
    fuzzy = [e["msgid"] for e in _messages(vi_entries) if "fuzzy" in e["flags"]]
    assert fuzzy == []


def test_plural_messages_have_exactly_the_one_vietnamese_form(vi_entries):
    plurals = [e for e in _messages(vi_entries) if "msgid_plural" in e]
    assert plurals, "the catalogue should contain plural messages"
    for entry in plurals:
        forms = sorted(k for k in entry if k.startswith("msgstr["))
        assert forms == ["msgstr[0]"], entry["msgid"]


def test_translations_keep_every_placeholder_and_tag(vi_entries):
    broken = []
    for entry in _messages(vi_entries):
        source = entry.get("msgid_plural", entry["msgid"])
        for text in translations_of(entry):
            if sorted(PLACEHOLDER.findall(text)) not in (
                sorted(PLACEHOLDER.findall(source)),
                sorted(PLACEHOLDER.findall(entry["msgid"])),
            ):
                broken.append((entry["msgid"], text))
            if sorted(HTML_TAG.findall(text)) != sorted(HTML_TAG.findall(entry["msgid"])):
                broken.append((entry["msgid"], text))
    assert broken == []


def test_compiled_catalogue_matches_the_po_file(vi_entries):
    """Django loads the .mo file: it must say what the .po says (compilemessages was run)."""
    stale = []
    with translation.override("vi"):
        for entry in _messages(vi_entries):
            context = entry.get("msgctxt")
            if "msgid_plural" in entry:
                if context is not None:
                    got = translation.npgettext(context, entry["msgid"], entry["msgid_plural"], 1)
                else:
                    got = translation.ngettext(entry["msgid"], entry["msgid_plural"], 1)
                want = entry["msgstr[0]"]
            else:
                if context is not None:
                    got = translation.pgettext(context, entry["msgid"])
                else:
                    got = translation.gettext(entry["msgid"])
                want = entry["msgstr"]
            if got != want:
                stale.append((entry["msgid"], got, want))
    assert stale == []


@pytest.mark.slow
def test_catalogue_covers_every_string_marked_in_the_source(vi_entries, tmp_path, settings, monkeypatch):
    """Extract the strings as `make messages` does, from a copy so the real catalogue is untouched."""
    if not shutil.which("xgettext") or not shutil.which("msgmerge"):
        pytest.skip("GNU gettext is not installed (apt-get install gettext)")
    source = tmp_path / "src"
    skipped = {".venv", "staticfiles", "test-artifacts", "locale", "media", "node_modules"}
    shutil.copytree(
        BASE_DIR,
        source,
        ignore=lambda directory, names: [
            n for n in names if n in skipped or n.startswith(".") or n == "__pycache__" or n.endswith(".sqlite3")
        ],
    )
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(source)
    call_command("makemessages", locale=["vi"], keep_pot=True, no_obsolete=True, verbosity=0)

    extracted = {(e.get("msgctxt"), e["msgid"]) for e in _messages(read_po(tmp_path / "locale" / "django.pot"))}
    translated = {
        (e.get("msgctxt"), e["msgid"]) for e in _messages(vi_entries) if all(t.strip() for t in translations_of(e))
    }
    missing = sorted(extracted - translated, key=lambda key: (key[0] or "", key[1]))
    assert missing == [], "run `make messages` and translate the new strings"


# --- (b) models speak Vietnamese ---------------------------------------------------------------


def _model_labels():
    """Yield (where, lazy label) for every name of the project's models a user can see."""
    for label in PROJECT_APPS:
        config = apps.get_app_config(label)
        yield f"{label} (app)", config.verbose_name
        for model in config.get_models():
            if hasattr(model, "instance_type"):
                continue  # django-simple-history's generated Historical* models: the library's words
            where = f"{label}.{model.__name__}"
            yield f"{where} verbose_name", model._meta.verbose_name
            yield f"{where} verbose_name_plural", model._meta.verbose_name_plural
            for field in model._meta.get_fields(include_parents=True):
                if field.auto_created or not (field.concrete or field.many_to_many):
                    continue  # ids, reverse relations, generic foreign keys
                yield f"{where}.{field.name}", field.verbose_name
                for value, choice in field.flatchoices or []:
                    if value not in ("", None):
                        yield f"{where}.{field.name} = {value!r}", choice


def _same_in_both_languages():
    labels = list(_model_labels())
    assert len(labels) > 300
    same = {}
    for where, label in labels:
        with translation.override("en"):
            english = str(label)
        with translation.override("vi"):
            vietnamese = str(label)
        if english == vietnamese and english not in SAME_IN_BOTH:
            same[where] = english
    return same


def test_every_model_name_field_name_and_choice_label_is_translated():
    same = _same_in_both_languages()
    untranslated = [f"{where}: {text!r}" for where, text in same.items()]
    assert untranslated == []


def test_a_model_label_really_changes_language():
    from petitions.models import Petition

    field = Petition._meta.get_field("status")
    with translation.override("en"):
        assert str(Petition._meta.verbose_name) == "petition"
        assert str(field.verbose_name) == "status"
    with translation.override("vi"):
        assert str(Petition._meta.verbose_name) == "kiến nghị"
        assert str(field.verbose_name) == "trạng thái"


def test_statuses_use_the_official_vietnamese_terms():
    from conferences.models import Conference
    from petitions.models import Petition

    with translation.override("vi"):
        petition_statuses = {str(label) for _value, label in Petition._meta.get_field("status").flatchoices}
        conference_statuses = {str(label) for _value, label in Conference._meta.get_field("status").flatchoices}
    assert {
        "Chờ tiếp nhận",
        "Đã tiếp nhận",
        "Đã trả lời tại hội nghị",
        "Đang xử lý",
        "Đã chuyển xử lý",
        "Đã có văn bản trả lời",
        "Đã giải quyết",
        "Từ chối / không thuộc phạm vi",
    } <= petition_statuses
    assert {"Dự kiến", "Đã thông báo", "Đã tổ chức", "Đã đóng", "Hoãn", "Hủy"} <= conference_statuses


# --- (c) pages are Vietnamese by default ---------------------------------------------------------


@pytest.mark.django_db
def test_sign_in_page_is_in_vietnamese_by_default(vi_client):
    response = vi_client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    page = response.content.decode()
    assert response["Content-Language"] == "vi"
    assert "Đăng nhập" in page
    assert "Sign in" not in page


@pytest.mark.django_db
def test_sign_in_page_is_in_english_after_switching(vi_client):
    vi_client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    page = vi_client.get("/accounts/login/").content.decode()
    assert "Sign in" in page
    assert "Đăng nhập" not in page


@pytest.mark.django_db
def test_citizens_home_is_in_vietnamese_by_default(vi_client):
    response = vi_client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Gửi kiến nghị" in page
    assert "Tra cứu kiến nghị" in page
    assert "Send a petition" not in page
