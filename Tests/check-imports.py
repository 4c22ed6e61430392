#!/usr/bin/env python3
"""Every target declares in Package.swift the modules its files import (`make check-imports`).

SwiftPM lets a target import a module it reaches only through another dependency; this check
does not. Prints each target whose imports are not all among its declared dependencies (its
own targets and products); exits 1 if any.
"""
import glob, re, sys

SYSTEM = {"Foundation", "FoundationXML", "FoundationNetworking", "Glibc", "Darwin", "XCTest", "Dispatch"}
pkg = open("Package.swift", encoding="utf-8").read()
starts = [m for m in re.finditer(r'\.(target|testTarget|executableTarget|systemLibrary)\(name: "([^"]+)"', pkg)]
bad = 0
for i, m in enumerate(starts):
    kind, name = m.group(1), m.group(2)
    if kind == "systemLibrary":
        continue
    body = pkg[m.end(): starts[i + 1].start() if i + 1 < len(starts) else len(pkg)]
    deps = body.split("exclude:")[0].split("resources:")[0].split("path:")[0]
    declared = set(re.findall(r'\.product\(name: "([^"]+)"', deps)) | \
        set(re.findall(r'(?<!name: )"([A-Za-z][\w-]*)"', re.sub(r'\.product\([^)]*\)', "", deps)))
    folder = ("Tests/" if kind == "testTarget" else "Sources/") + name
    imported = set()
    for f in glob.glob(folder + "/**/*.swift", recursive=True):
        for line in open(f, encoding="utf-8"):
            im = re.match(r'\s*(?:@testable\s+|@_spi\(\w+\)\s+)?import\s+(\w+)', line)
            if im:
                imported.add(im.group(1))
    missing = sorted(imported - declared - SYSTEM - {name})
    if missing:
        bad += 1
        print(f"{name}: imports {', '.join(missing)} without declaring it in Package.swift")
sys.exit(1 if bad else 0)
