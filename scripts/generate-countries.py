#!/usr/bin/env python3
"""Writes Sources/SiteModel/Country.swift from Debian's iso-codes (apt-get install iso-codes)."""
import json

data = json.load(open('/usr/share/iso-codes/json/iso_3166-1.json'))['3166-1']
rows = sorted((c['alpha_2'], c.get('common_name', c['name'])) for c in data)
print('// Generated from Debian iso-codes (iso_3166-1.json): ISO 3166-1 alpha-2 codes and English short names.')
print('// Regenerate with: python3 scripts/generate-countries.py > Sources/SiteModel/Country.swift')
print()
print('/// ISO 3166-1 alpha-2 country codes and their English names.')
print('public enum Country {')
print('    /// `FR` → `France`; nil for a code that is not ISO 3166-1 alpha-2 (codes are upper case).')
print('    public static func name(for code: String) -> String? { names[code] }')
print()
print('    static let names: [String: String] = [')
for code, name in rows:
    print('        "%s": "%s",' % (code, name.replace('"', '\\"')))
print('    ]')
print('}')
