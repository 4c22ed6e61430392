#!/usr/bin/env python3
"""Writes the seed corpora of the fuzzing harness (Tests/Fuzz/corpus/<target>/) and its
dictionaries (Tests/Fuzz/dict/<target>.dict) from the fixture, the bundled scenarios and a
list of malformed inputs: what careless users and attackers were seen to send (issue 9).

    python3 Tests/Fuzz/seeds.py        # from the repository root; rewrites both folders

Seeds are small on purpose (libFuzzer mutates faster on small inputs and takes its default
-max_len from the largest seed). Nothing here is run by CI: the files are committed.
"""
import copy
import json
import os
import re
import shutil

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FUZZ = os.path.join(ROOT, "Tests", "Fuzz")
FIXTURE = os.path.join(FUZZ, "fixture")
CORPUS = os.path.join(FUZZ, "corpus")
DICT = os.path.join(FUZZ, "dict")

INT_MIN = -9223372036854775808
INT_MAX = 9223372036854775807
KELVIN = "\u212A"  # KELVIN SIGN: Swift's Character compares it equal to "K"
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def check_char(body):
    s = sum(ALPHABET.index(c) * w for c, w in zip(body, WEIGHTS))
    return ALPHABET[(31 - s % 31) % 31]


def code_ending_in(ch, prefix="91310112"):
    """A valid credit code whose check character is `ch`."""
    for n in range(10 ** 9):
        body = prefix + format(n, "09d")
        if check_char(body) == ch:
            return body + ch
    raise ValueError(ch)


def read(path):
    with open(path, "rb") as f:
        return f.read()


# Seeds that crash today through bugs other changes fix (issue 9): kept out of the corpus, the
# replayed set and CI, in pending/<target>/, until the fix is merged; then drop them from this
# list (they become ordinary seeds) and re-run this script. See Tests/Fuzz/README.md.
# Seeds that trap today, written to pending/ until their fix lands (none: every crash found so
# far is fixed; see pending/README.md).
PENDING = set()
PENDING_DIR = os.path.join(FUZZ, "pending")


def write(target, name, data):
    folder = os.path.join(PENDING_DIR if (target, name) in PENDING else CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def csv_lines(path, rows):
    lines = read(path).decode("utf-8").splitlines()
    return lines[0], lines[1:1 + rows]


def replace_field(line, index, value):
    fields = line.split(",")
    fields[index] = value
    return ",".join(fields)


# ---------------------------------------------------------------- ledger


def ledger_seeds():
    header, rows = csv_lines(os.path.join(FIXTURE, "ledger.csv"), 40)
    cols = header.split(",")
    col = {c: i for i, c in enumerate(cols)}
    small = rows[:3]

    def ledger(lines, h=header):
        return h + "\n" + "\n".join(lines) + "\n"

    write("ledger", "fixture-3.csv", ledger(small))
    write("ledger", "fixture-40.csv", ledger(rows))
    for name in ("demo", "town-spare-capacity"):
        h, r = csv_lines(os.path.join(ROOT, "scenarios", name, "ledger.csv"), 6)
        write("ledger", f"{name}-6.csv", ledger(r, h))
    # English keys instead of the Chinese headers (DATA.md §1).
    en = ("id,name,district,town,zone,category,activity,light_sector,scale,licensed,key_process,major_hazard,"
          "molten_metal,explosive_dust,ammonia_refrigeration,sewage_treatment,open_major_hazard,last_fatal_accident,"
          "last_blacklisted,penalties_3y,designated_key,exemption,ownership,city_list,standardisation,risk_level,"
          "safety_culture,liability_insurance,last_inspected,latitude,longitude,address")
    assert len(en.split(",")) == len(cols)
    write("ledger", "english-keys.csv", ledger(small, en))
    write("ledger", "bom-crlf.csv", "\ufeff" + (header + "\r\n" + "\r\n".join(small) + "\r\n"))
    write("ledger", "gb18030.csv", (header + "\r\n" + "\r\n".join(small) + "\r\n").encode("gb18030"))
    write("ledger", "header-only.csv", header + "\n")
    write("ledger", "empty.csv", b"")
    write("ledger", "quoted-newline.csv", ledger([replace_field(small[0], col["地址"], '"上海市\n闵行区, ""引号"""')]))
    write("ledger", "stray-bytes.csv", (ledger(small)).encode("utf-8") + b"\xff\xfe\xc0\x80\n")
    write("ledger", "ole2-xls.csv", bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + b"\x00" * 64)
    write("ledger", "zip-not-xlsx.csv", b"PK\x03\x04" + b"\x00" * 40)

    first = small[0].split(",")
    good = first[col["统一社会信用代码"]]
    kelvin_last = code_ending_in("K")
    cases = {
        # Issue 9: the KELVIN SIGN compares equal to "K" and trapped on a force-unwrap.
        "kelvin-in-code.csv": ("统一社会信用代码", good[:5] + KELVIN + good[6:]),
        "kelvin-check-char.csv": ("统一社会信用代码", kelvin_last[:17] + KELVIN),
        "eszett-in-code.csv": ("统一社会信用代码", good[:5] + "ß" + good[6:17]),
        "fullwidth-code.csv": ("统一社会信用代码", "".join(chr(ord(c) + 0xFEE0) for c in good)),
        "combining-code.csv": ("统一社会信用代码", good[:17] + "\u0301" + good[17:]),
        "nul-in-address.csv": ("地址", "上海市\x00闵行区"),
        "nul-in-name.csv": ("单位名称", "\x00"),
        "hexfloat-latitude.csv": ("纬度", "0x1p4"),
        "hexfloat-penalties.csv": ("近三年行政处罚次数", "0x1p4"),
        "huge-latitude.csv": ("纬度", "1e308"),
        "overflow-longitude.csv": ("经度", "-1e309"),
        "nan-latitude.csv": ("纬度", "nan"),
        "intmin-penalties.csv": ("近三年行政处罚次数", str(INT_MIN)),
        "overflow-penalties.csv": ("近三年行政处罚次数", "99999999999999999999"),
        "float-penalties.csv": ("近三年行政处罚次数", "1e19"),
        "impossible-date.csv": ("上次检查日期", "2027/2/30"),
        "far-date.csv": ("最近死亡事故日期", "99999-01-01"),
        "chinese-date-time.csv": ("上次检查日期", "2026年1月5日 08:30:00"),
        "future-date.csv": ("最近失信惩戒日期", "2099-12-31"),
        "long-address.csv": ("地址", "长" * 2000),
        "unknown-term.csv": ("行业类别", "其他"),
        "english-terms.csv": ("行业类别", "HAZCHEM"),
    }
    for name, (column, value) in cases.items():
        value = value if "," not in value and "\n" not in value else '"' + value.replace('"', '""') + '"'
        write("ledger", name, ledger([replace_field(small[0], col[column], value)] + small[1:]))
    write("ledger", "short-row.csv", ledger([",".join(first[:5])] + small[1:]))
    write("ledger", "long-row.csv", ledger([small[0] + ",x,y,z"] + small[1:]))
    write("ledger", "duplicate-id.csv", ledger([small[0], small[0]]))
    write("ledger", "duplicate-header.csv", ledger(small, header + ",地址"))
    write("ledger", "xlsx-3.xlsx", xlsx([cols] + [r.split(",") for r in small]))
    for target in ("ledger", "staff", "experts", "executed"):
        write(target, "zip-cd-offset-beyond-end.xlsx", zip_cd_beyond_end())


def zip_cd_beyond_end():
    """A zip whose end record puts the central directory past the end of the file:
    ZIPFoundation's `Archive(data:)` seeks there and traps (Range requires lowerBound <=
    upperBound, Archive+MemoryFile.swift:59) instead of throwing."""
    import io
    import struct
    import zipfile
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr(zipfile.ZipInfo("xl/workbook.xml", date_time=(2027, 1, 1, 0, 0, 0)), b"<workbook/>")
    data = bytearray(buf.getvalue())
    end = data.rfind(b"PK\x05\x06")
    struct.pack_into("<I", data, end + 16, len(data) + 1000)
    return bytes(data)


def xlsx(table):
    """A minimal workbook (stored, not deflated: mutations reach the XML) with inline strings."""
    import io
    import zipfile

    def ref(r, c):
        s = ""
        c += 1
        while c:
            c, m = divmod(c - 1, 26)
            s = chr(65 + m) + s
        return f"{s}{r + 1}"

    def esc(v):
        return v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    rows = []
    for r, row in enumerate(table):
        cells = "".join(f'<c r="{ref(r, c)}" t="inlineStr"><is><t>{esc(v)}</t></is></c>' for c, v in enumerate(row) if v)
        rows.append(f'<row r="{r + 1}">{cells}</row>')
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             + "".join(rows) + "</sheetData></worksheet>")
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>",
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>",
        "xl/worksheets/sheet1.xml": sheet,
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2027, 1, 1, 0, 0, 0))
            z.writestr(info, text.encode("utf-8"))
    return buf.getvalue()


# ---------------------------------------------------------------- staff and experts


def staff_seeds(target, source):
    header, rows = csv_lines(source, 10)
    cols = header.split(",")
    col = {c: i for i, c in enumerate(cols)}
    small = rows[:3]

    def roll(lines, h=header):
        return h + "\n" + "\n".join(lines) + "\n"

    write(target, "fixture.csv", roll(rows))
    write(target, "demo-3.csv", roll(csv_lines(os.path.join(ROOT, "scenarios", "demo", os.path.basename(source)), 3)[1]))
    unit = csv_lines(os.path.join(FIXTURE, "ledger.csv"), 1)[1][0].split(",")[0]
    cases = {
        # Issue 9: a KELVIN SIGN in a credit code of `conflicts` trapped every command.
        "kelvin-in-conflicts.csv": ("回避单位", unit[:5] + KELVIN + unit[6:]),
        "kelvin-check-char-conflicts.csv": ("回避单位", code_ending_in("K")[:17] + KELVIN),
        "conflicts-list.csv": ("回避单位", unit + ";" + unit + ";"),
        "nul-in-name.csv": ("姓名", "张\x00三"),
        "wide-range.csv": ("不可用日期", "0001-01-01..9999-12-31"),
        "reversed-range.csv": ("不可用日期", "2027-12-31..2027-01-01"),
        "impossible-date.csv": ("不可用日期", "2027/2/30"),
        "many-dates.csv": ("不可用日期", ";".join(f"2027-{m:02d}-{d:02d}" for m in range(1, 13) for d in (1, 15))),
        "unknown-specialty.csv": ("专业领域", "astrology"),
        "certified-yes-no.csv": ("执法证", "yes"),
    }
    for name, (column, value) in cases.items():
        write(target, name, roll([replace_field(small[0], col[column], value)] + small[1:]))
    write(target, "english-keys.csv", roll(small, "id,name,certified,leader,specialties,unavailable,conflicts"))
    write(target, "duplicate-id.csv", roll([small[0], small[0]]))
    write(target, "header-only.csv", header + "\n")


# ---------------------------------------------------------------- YAML


def scenario_seeds():
    base = read(os.path.join(FIXTURE, "scenario.yaml")).decode("utf-8")
    write("scenario", "fixture.yaml", base)
    for name in ("demo", "town-spare-capacity"):
        write("scenario", f"{name}.yaml", read(os.path.join(ROOT, "scenarios", name, "scenario.yaml")))
    minimal = "year: 2027\nauthority: { level: town, district: 闵行区, town: 古美街道 }\nledger: ledger.csv\n"
    write("scenario", "minimal-town.yaml", minimal)
    full = minimal + """staff: staff.csv
seed: 7
workdays:
  other_enforcement: 100
  non_enforcement: { 培训: 10 }
  other_enforcement_per_officer: 5
  non_enforcement_per_officer: { 会议: 8, 值班: 4 }
policy:
  key_share_min: 0.7
  visits_per_workday_min: 1.2
  general_sample_rate: 0.03
  max_visits_per_unit: 4
  increased_visits: 3
  reserve_share: 0.2
  monthly_tolerance: 0.5
effort: { key: 0.5, general: 0.25, special: 1 }
campaigns:
  - { name: 粉尘涉爆专项执法, months: [3, 4], match: { explosive_dust: true, category: [industry_trade] }, visits: 2 }
joint: { visits: 3, months: [6, 11] }
draw_weights: { standardisation: 0.5, safety_culture: 0.5, liability_insurance: 0.8, penalties: 2, accident_or_blacklist: 3 }
delegate: { towns: all, zones: [莘庄工业区], zone_key_units: true }
"""
    write("scenario", "every-key.yaml", full)
    edits = {
        # Issue 9: hexadecimal floats were read as numbers (0x1p4 = 16).
        "hexfloat-share.yaml": ("key_share_min: 0.7", "key_share_min: 0x1p4"),
        "hexfloat-effort.yaml": ("key: 0.5", "key: 0x1p-1"),
        "huge-seed.yaml": ("seed: 7", "seed: 1e308"),
        "intmin-seed.yaml": ("seed: 7", f"seed: {INT_MIN}"),
        "overflow-seed.yaml": ("seed: 7", "seed: 18446744073709551616"),
        "huge-deduction.yaml": ("other_enforcement: 100", "other_enforcement: 1e308"),
        "inf-deduction.yaml": ("other_enforcement: 100", "other_enforcement: .inf"),
        "nan-deduction.yaml": ("non_enforcement: { 培训: 10 }", "non_enforcement: { 培训: .nan }"),
        "negative-deduction.yaml": ("other_enforcement_per_officer: 5", "other_enforcement_per_officer: -1e308"),
        "huge-visits.yaml": ("visits: 2 }", "visits: 1e308 }"),
        "intmin-joint.yaml": ("joint: { visits: 3", f"joint: {{ visits: {INT_MIN}"),
        "month-13.yaml": ("months: [3, 4]", "months: [0, 13, 99999999999999999999]"),
        "empty-months.yaml": ("months: [3, 4]", "months: []"),
        "duplicate-months.yaml": ("months: [3, 4]", "months: [3, 3, 3]"),
        "subnormal-effort.yaml": ("key: 0.5", "key: 5e-324"),
        "huge-weight.yaml": ("penalties: 2", "penalties: 1.7976931348623157e308"),
        "year-float.yaml": ("year: 2027", "year: 2027.5"),
        "year-huge.yaml": ("year: 2027", "year: 1e19"),
        "kelvin-match.yaml": ("category: [industry_trade]", f"category: [industry_trade], id: [{KELVIN}]"),
        "nul-name.yaml": ("name: 粉尘涉爆专项执法", 'name: "粉尘\\0涉爆"'),
        "unknown-key.yaml": ("seed: 7", "seed: 7\nsede: 8"),
        "tagged.yaml": ("seed: 7", "seed: !!str 7"),
    }
    for name, (old, new) in edits.items():
        assert old in full, old
        write("scenario", name, full.replace(old, new, 1))
    campaigns = "campaigns:\n" + "".join(f"  - {{ name: 同名, months: [{m}], match: {{ category: hazchem }}, visits: 1 }}\n" for m in (1, 1))
    write("scenario", "duplicate-campaigns.yaml", minimal + campaigns)
    # Aliases and nesting: what a YAML parser must survive.
    laughs = "a: &a [x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8))
    write("scenario", "alias-bomb.yaml", minimal + "policy: { general_sample_rate: 0.05 }\n" + laughs.replace("a:", "x_a:", 1))
    write("scenario", "alias-keys.yaml", minimal + "workdays: &w { other_enforcement: 1 }\npolicy: *w\n")
    write("scenario", "deep-nesting.yaml", minimal + "workdays: " + "[" * 2000 + "]" * 2000 + "\n")
    write("scenario", "bad-syntax.yaml", "year: [2027\nauthority: {")
    write("scenario", "not-utf8.yaml", minimal.encode("utf-8") + b"\xff\n")
    write("scenario", "empty.yaml", "")


def city_seeds():
    demo = read(os.path.join(ROOT, "scenarios", "city-demo", "city.yaml")).decode("utf-8")
    write("city", "demo.yaml", demo)
    full = """city: 上海市
year: 2027
seed: 20270101
ledger: ledger.csv
authorities: [town/scenario.yaml, town, ./town/scenario.yaml]
dispatch: { enabled: true, max_lend_share: 0.2 }
"""
    write("city", "listed.yaml", full)
    edits = {
        "no-year.yaml": ("year: 2027\n", ""),
        "other-year.yaml": ("year: 2027", "year: 2031"),
        "year-huge.yaml": ("year: 2027", "year: 1e19"),
        "hexfloat-share.yaml": ("max_lend_share: 0.2", "max_lend_share: 0x1p-3"),
        "share-above-one.yaml": ("max_lend_share: 0.2", "max_lend_share: 1.5"),
        "nan-share.yaml": ("max_lend_share: 0.2", "max_lend_share: .nan"),
        "intmin-seed.yaml": ("seed: 20270101", f"seed: {INT_MIN}"),
        "missing-ledger.yaml": ("ledger: ledger.csv", "ledger: nowhere.csv"),
        "device-ledger.yaml": ("ledger: ledger.csv", "ledger: /dev/zero"),
        "device-authority.yaml": ("town/scenario.yaml, town,", "/dev/zero, /proc/self/mem,"),
        "missing-authority.yaml": ("town/scenario.yaml, town,", "nowhere/scenario.yaml,"),
        "authorities-map.yaml": ("authorities: [town/scenario.yaml, town, ./town/scenario.yaml]", "authorities: { a: 1 }"),
        "unknown-key.yaml": ("seed: 20270101", "seed: 20270101\nsede: 8"),
        "nul-city.yaml": ("city: 上海市", 'city: "上海\\0市"'),
    }
    for name, (old, new) in edits.items():
        assert old in full, old
        write("city", name, full.replace(old, new, 1))
    write("city", "alias-keys.yaml", full + "x: &d { enabled: true }\n")
    write("city", "deep-nesting.yaml", full.replace("authorities: [town/scenario.yaml, town, ./town/scenario.yaml]",
                                                    "authorities: " + "[" * 2000 + "]" * 2000))
    write("city", "bad-syntax.yaml", "city: [上海\nyear: {")
    write("city", "not-utf8.yaml", full.encode("utf-8") + b"\xff\n")
    write("city", "empty.yaml", "")


def variant_seeds():
    write("variant", "staff-from.yaml", "name: 减3人\nstaff_delta: -3\nstaff_from: 2027-07-01\npolicy: { general_sample_rate: 0.03 }\n")
    write("variant", "add-staff.yaml", "staff_delta: 4\neffort: { key: 0.75 }\nworkdays: { non_enforcement_per_officer: 10 }\n")
    write("variant", "campaigns.yaml", "campaigns:\n  - { name: 春季专项, months: [3], match: { category: hazchem }, visits: 1 }\njoint: { visits: 0 }\n")
    write("variant", "intmin-delta.yaml", f"staff_delta: {INT_MIN}\n")
    write("variant", "max-delta.yaml", "staff_delta: 10000\nstaff_from: 2027-12-31\n")
    write("variant", "bad-from.yaml", "staff_delta: -1\nstaff_from: 2027-02-30\n")
    write("variant", "hexfloat.yaml", "policy: { general_sample_rate: 0x1p-4 }\n")
    write("variant", "calendar.yaml", "calendar: calendar-2027.yaml\ndelegate: { towns: [古美街道] }\n")


def calendar_seeds():
    example = read(os.path.join(ROOT, "scenarios", "calendars", "calendar-2027-example.yaml")).decode("utf-8")
    body = example[example.index("year: 2027"):]
    write("calendar", "example.yaml", body)
    edits = {
        "wide-range.yaml": ("2027-02-05..2027-02-13", "0001-01-01..9999-12-31"),
        "reversed-range.yaml": ("2027-02-05..2027-02-13", "2027-02-13..2027-02-05"),
        "out-of-year.yaml": ("2027-06-09", "2028-06-09"),
        "impossible-date.yaml": ("2027-06-09", "2027-02-30"),
        "weekday-makeup.yaml": ("2027-02-20,", "2027-02-22,"),
        "holiday-makeup.yaml": ("2027-02-20,", "2027-10-02,"),
        "year-huge.yaml": ("year: 2027", "year: 1e19"),
        "year-intmin.yaml": ("year: 2027", f"year: {INT_MIN}"),
        "overlap.yaml": ("2027-06-09", "2027-10-01"),
    }
    for name, (old, new) in edits.items():
        assert old in body, old
        write("calendar", name, body.replace(old, new, 1))
    write("calendar", "empty-holidays.yaml", "year: 2027\nholidays: []\n")


# ---------------------------------------------------------------- executed visits


def executed_seeds():
    plan = json.loads(read(os.path.join(FIXTURE, "plan.json")))
    visits = plan["visits"][:6]
    rows = [f"{v['id']},2027-{v['month']:02d}-15" for v in visits]
    write("executed", "visits.csv", "visit,date\n" + "\n".join(rows) + "\n")
    write("executed", "visits-zh.csv", "检查编号,检查日期\n" + "\n".join(rows) + "\n")
    units = [u["id"] for u in plan["units"][:3]]
    write("executed", "units.csv", "unit,date\n" + "\n".join(f"{u},2027/3/{i + 1}" for i, u in enumerate(units)) + "\n")
    write("executed", "both.csv", "visit,unit,date\n" + f"{visits[0]['id']},,2027-01-10\n,{units[0]},2027年2月3日\n")
    u = units[0]
    write("executed", "kelvin-unit.csv", "unit,date\n" + f"{u[:5]}{KELVIN}{u[6:]},2027-03-01\n")
    write("executed", "other-year.csv", "visit,date\n" + f"{visits[0]['id']},2026-12-31\n")
    write("executed", "impossible-date.csv", "visit,date\n" + f"{visits[0]['id']},2027-02-29\n")
    write("executed", "unknown-visit.csv", "visit,date\n" + "V-9999-99-9999,2027-01-01\n")
    write("executed", "no-columns.csv", "date\n2027-01-01\n")
    write("executed", "nul.csv", "visit,date\n" + f"{visits[0]['id']}\x00,2027-01-01\n")
    write("executed", "xlsx.xlsx", xlsx([["检查编号", "检查日期"]] + [r.split(",") for r in rows[:3]]))


# ---------------------------------------------------------------- plan and roster JSON


def dump(doc):
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def small_plan(plan):
    """The fixture plan cut down to a few visits (a plan that fails verification, quickly)."""
    p = copy.deepcopy(plan)
    p["visits"] = p["visits"][:4]
    keep = {v["unit"] for v in p["visits"]}
    p["units"] = [u for u in p["units"] if u["id"] in keep][:6]
    p["draws"] = p["draws"][:1]
    if p["draws"]:
        p["draws"][0]["pool"] = p["draws"][0]["pool"][:3]
    p["checks"] = p["checks"][:2]
    return p


def plan_seeds():
    plan = json.loads(read(os.path.join(FIXTURE, "plan.json")))
    write("plan", "fixture.json", dump(plan))
    write("plan", "small.json", dump(small_plan(plan)))

    # Mutants of the small plan: the verifier runs every check whatever fails first, and small
    # seeds keep the corpus (and libFuzzer's -max_len) small.
    small = small_plan(plan)

    def mutate(name, fn, base=None):
        p = copy.deepcopy(base or small)
        fn(p)
        write("plan", name, dump(p))

    def setpath(path, value):
        def fn(p):
            node = p
            for k in path[:-1]:
                node = node[k]
            node[path[-1]] = value
        return fn

    # Issue 9: numbers out of range trapped `verify`.
    mutate("inspection-1e19.json", setpath(["workdays", "inspection"], 1e19))
    mutate("campaign-visits-intmin.json", setpath(["policy", "campaigns", 0, "visits"], INT_MIN), base=plan)
    mutate("key-share-1e300.json", setpath(["policy", "key_share_min"], 1e300))
    mutate("capacity-1e308.json", setpath(["metrics", "capacity_team_days"], 1e308))
    mutate("month-capacity-1e308.json", setpath(["months", 0, "capacity_team_days"], 1e308))
    mutate("month-workdays-intmin.json", setpath(["months", 0, "workdays"], INT_MIN))
    mutate("visit-month-intmin.json", setpath(["visits", 0, "month"], INT_MIN))
    mutate("visit-month-13.json", setpath(["visits", 0, "month"], 13))
    mutate("metrics-visits-intmax.json", setpath(["metrics", "visits"], INT_MAX))
    mutate("calendar-intmax.json", setpath(["workdays", "calendar"], INT_MAX))
    mutate("staff-intmin.json", setpath(["workdays", "staff"], INT_MIN))
    mutate("gross-neg.json", setpath(["workdays", "gross"], -1.7976931348623157e308))
    mutate("required-intmax.json", setpath(["units", 0, "required_visits"], INT_MAX))
    mutate("weight-1e308.json", setpath(["units", 0, "draw_weight"], 1e308))
    mutate("max-visits-intmax.json", setpath(["policy", "max_visits_per_unit"], INT_MAX))
    mutate("increased-intmin.json", setpath(["policy", "increased_visits"], INT_MIN))
    mutate("effort-subnormal.json", setpath(["policy", "effort_key"], 5e-324))
    mutate("effort-zero.json", setpath(["policy", "effort_general"], 0))
    mutate("joint-intmin.json", setpath(["policy", "joint_visits"], INT_MIN))
    mutate("tolerance-huge.json", setpath(["policy", "monthly_tolerance"], 1.7976931348623157e308))
    mutate("seed-uint64max.json", setpath(["seed"], 18446744073709551615))
    mutate("year-intmax.json", setpath(["year"], INT_MAX))
    mutate("year-intmin.json", setpath(["year"], INT_MIN))
    mutate("months-empty.json", setpath(["months"], []))
    mutate("months-duplicate.json", lambda p: p.__setitem__("months", p["months"] + p["months"][:2]))
    mutate("schema-bogus.json", setpath(["schema"], "enforcement-plan/99"))
    mutate("solver-infeasible.json", setpath(["solver", "status"], "infeasible"))
    mutate("kelvin-unit.json", lambda p: p["units"][0].__setitem__("id", p["units"][0]["id"][:5] + KELVIN + p["units"][0]["id"][6:]))
    mutate("visit-unknown-unit.json", setpath(["visits", 0, "unit"], "91310112000000000X"))
    if plan["draws"]:
        mutate("draw-method.json", setpath(["draws", 0, "method"], "pick-any/1"))
        mutate("draw-k-intmax.json", setpath(["draws", 0, "k"], INT_MAX))
        mutate("draw-k-intmin.json", setpath(["draws", 0, "k"], INT_MIN))
        mutate("draw-pool-size-neg.json", setpath(["draws", 0, "pool_size"], -1))
        mutate("draw-seed-changed.json", setpath(["draws", 0, "seed"], 1))
        mutate("draw-month-0.json", setpath(["draws", 0, "month"], 0))
        mutate("draw-duplicate.json", lambda p: p.__setitem__("draws", p["draws"] + p["draws"]))
        mutate("draw-empty-pool.json", setpath(["draws", 0, "pool"], []))
        mutate("draw-drawn-outside.json", setpath(["draws", 0, "drawn"], ["91310112000000000X"]))
    write("plan", "roster-schema.json", read(os.path.join(FIXTURE, "roster.json")))
    write("plan", "truncated.json", dump(plan)[:2000])
    write("plan", "empty-object.json", "{}")


def roster_seeds():
    roster = json.loads(read(os.path.join(FIXTURE, "roster.json")))
    write("roster", "fixture.json", dump(roster))

    def mutate(name, path, value):
        r = copy.deepcopy(roster)
        node = r
        for k in path[:-1]:
            node = node[k]
        node[path[-1]] = value
        write("roster", name, dump(r))

    mutate("month-0.json", ["month"], 0)
    mutate("month-13.json", ["month"], 13)
    mutate("month-intmin.json", ["month"], INT_MIN)
    mutate("year-intmax.json", ["year"], INT_MAX)
    mutate("seed-uint64max.json", ["seed"], 18446744073709551615)
    if roster["assignments"]:
        mutate("date-impossible.json", ["assignments", 0, "date"], "2027-02-30")
        mutate("date-far.json", ["assignments", 0, "date"], "99999999-01-01")
        mutate("team-empty.json", ["assignments", 0, "team"], [])
        mutate("team-kelvin.json", ["assignments", 0, "unit"], roster["assignments"][0]["unit"][:5] + KELVIN + roster["assignments"][0]["unit"][6:])
        mutate("leader-outside.json", ["assignments", 0, "leader"], "E999")
    if roster["days"]:
        mutate("officers-intmin.json", ["days", 0, "officers_available"], INT_MIN)
        mutate("team-days-1e308.json", ["days", 0, "team_days"], 1e308)
        mutate("day-visits-intmax.json", ["days", 0, "visits"], INT_MAX)
    if roster["draws"]:
        for key, value in (("k", INT_MAX), ("pool_size", INT_MIN), ("seed", 0), ("method", "x")):
            if key in roster["draws"][0]:
                mutate(f"draw-{key}.json", ["draws", 0, key], value)
        mutate("draws-duplicate.json", ["draws"], roster["draws"] + roster["draws"])
    write("roster", "plan-schema.json", dump(small_plan(json.loads(read(os.path.join(FIXTURE, "plan.json"))))))
    write("roster", "empty-object.json", "{}")


# ---------------------------------------------------------------- dictionaries


def swift_strings(path, pattern):
    text = read(os.path.join(ROOT, path)).decode("utf-8")
    return re.findall(pattern, text)


def json_keys(node, out):
    if isinstance(node, dict):
        for k, v in node.items():
            out.add(k)
            json_keys(v, out)
    elif isinstance(node, list):
        for v in node:
            json_keys(v, out)


def write_dict(target, words):
    os.makedirs(DICT, exist_ok=True)
    lines = []
    for w in sorted(set(words)):
        b = w.encode("utf-8") if isinstance(w, str) else w
        esc = "".join(chr(c) if 32 <= c < 127 and chr(c) not in '"\\' else f"\\x{c:02X}" for c in b)
        lines.append(f'"{esc}"')
    with open(os.path.join(DICT, f"{target}.dict"), "w") as f:
        f.write(f"# libFuzzer dictionary of the {target} target (written by Tests/Fuzz/seeds.py)\n")
        f.write("\n".join(lines) + "\n")


NUMBERS = ["0x1p4", "1e308", "-1e309", "1e19", "nan", "inf", "-0", "5e-324", str(INT_MIN), str(INT_MAX),
           "18446744073709551616", KELVIN, "\x00", "\ufeff", "ß", "ı", "İ", "\u0301"]


def dictionaries():
    specs = swift_strings("Sources/Ledger/LedgerLoader.swift", r'ColumnSpec\("([^"]+)", "([^"]+)"')
    terms = swift_strings("Sources/Ledger/Terms.swift", r'return "([^"]+)"') + \
        swift_strings("Sources/Ledger/Terms.swift", r'case (\w+)(?: = "(\w+)")?')
    flat = [s for pair in specs for s in pair] + [t if isinstance(t, str) else (t[1] or t[0]) for t in terms]
    dates = ["2027-01-05", "2027/1/5", "2027.1.5", "2027年1月5日", " 08:30:00", "..", ";", "是", "否", "true", "false"]
    csv = [",", "\"", "\r\n", "\n"]
    write_dict("ledger", flat + dates + csv + NUMBERS + ["PK\x03\x04", "<c r=\"A1\" t=\"s\"><v>0</v></c>", "t=\"inlineStr\""])
    write_dict("executed", ["visit", "unit", "date", "检查编号", "统一社会信用代码", "检查日期"] + dates + csv + NUMBERS)
    staff_cols = swift_strings("Sources/Ledger/LedgerLoader.swift", r'ColumnSpec\("(\w+)", "([^"]+)"\)')
    staff = [s for pair in staff_cols for s in pair] + ["general", "hazchem", "fireworks", "dust", "ammonia", "light_industry",
                                                       "metallurgy", "mining"]
    write_dict("staff", staff + dates + csv + NUMBERS)
    write_dict("experts", staff + dates + csv + NUMBERS)
    yaml_keys = swift_strings("Sources/Ledger/ScenarioLoader.swift", r'"([a-z_]+)"')
    yaml = [k + ":" for k in yaml_keys] + ["&a", "*a", "!!str", "!!float", "[", "]", "{", "}", "- ", ": ", "\n  ", ".inf", ".nan",
                                           "~", "null", "all", "district", "town", "zone", "city"]
    write_dict("scenario", yaml + dates + NUMBERS)
    write_dict("variant", yaml + ["staff_delta:", "staff_from:", "name:"] + dates + NUMBERS)
    write_dict("city", ["city:", "year:", "seed:", "ledger:", "authorities:", "dispatch:", "enabled:", "max_lend_share:",
                        "scenario.yaml", "town/", "../", "/dev/zero", "&a", "*a", "[", "]", "{", "}", "- ", ": ", "\n  ",
                        "true", "false", ".inf", ".nan"] + NUMBERS)
    write_dict("calendar", ["year:", "source:", "holidays:", "makeup_workdays:", "name:", "name_en:", "dates:", "- ", "[", "]", "{", "}",
                            "..", "元旦", "春节", "国庆节"] + dates + NUMBERS)
    for target, files in (("plan", ["plan.json"]), ("roster", ["roster.json", "plan.json"])):
        keys = set()
        for f in files:
            json_keys(json.loads(read(os.path.join(FIXTURE, f))), keys)
        write_dict(target, [f'"{k}":' for k in keys] + ["enforcement-plan/1", "enforcement-roster/1", "sha256-weighted/1", "null",
                                                         "true", "false", "[]", "{}", "\\u0000", "\\u212A", "-0.0", "1e400"] + NUMBERS)


def main():
    for d in (CORPUS, DICT):
        shutil.rmtree(d, ignore_errors=True)
    for target, name in PENDING:
        if os.path.exists(os.path.join(PENDING_DIR, target, name)):
            os.remove(os.path.join(PENDING_DIR, target, name))
    ledger_seeds()
    staff_seeds("staff", os.path.join(FIXTURE, "staff.csv"))
    staff_seeds("experts", os.path.join(FIXTURE, "experts.csv"))
    scenario_seeds()
    city_seeds()
    variant_seeds()
    calendar_seeds()
    executed_seeds()
    plan_seeds()
    roster_seeds()
    dictionaries()
    for t in sorted(os.listdir(CORPUS)):
        print(f"{t}: {len(os.listdir(os.path.join(CORPUS, t)))} seeds")


if __name__ == "__main__":
    main()
