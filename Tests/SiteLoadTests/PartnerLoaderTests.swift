import SiteIO
import SiteModel
import Testing
@testable import SiteLoad

/// Loads a site whose `partners.yaml` is `yaml`, with the four areas declared and today = 2026-11-29.
func loadPartners(_ yaml: String) throws -> Site {
    try SiteLoader(fileSystem: InMemoryFileSystem(files: [
        "/site/site.yaml": "title: T\nareas: [Clinical Medicine, Nursing, Pharmacy, Life Sciences]\n",
        "/site/Content/index.md": "---\ntitle: Home\n---\n",
        "/site/Content/data/partners.yaml": yaml,
        "/site/Templates/page.mustache": "",
    ])).load(root: "/site", today: CalendarDate(year: 2026, month: 11, day: 29)!)
}

func partnerErrors(_ yaml: String) -> [String] {
    diagnostics { try loadPartners(yaml) }
}

let file = "Content/data/partners.yaml"

@Suite struct PartnerLoaderTests {
    @Test func readsAValidRecord() throws {
        let site = try loadPartners("""
            - id: ottawa-medicine
              name: University of Ottawa, Faculty of Medicine
              country: CA
              city: Ottawa
              kind: faculty
              areas: [Clinical Medicine]
              since: 2014-10
              url: https://med.uottawa.ca/
              programs:
                - name: Joint School
                  level: undergraduate
                  description: Founded together.
            - id: oslo
              name: Oslo
              country: NO
              city: Oslo
            """)
        #expect(site.partners.map(\.id) == ["ottawa-medicine", "oslo"])
        let ottawa = site.partners[0]
        #expect(ottawa.since == PartnerSince("2014-10"))
        #expect(ottawa.since?.month == 10)
        #expect(ottawa.areas == ["Clinical Medicine"])
        #expect(ottawa.programs == [Partner.Program(name: "Joint School", level: "undergraduate", description: "Founded together.")])
        #expect(site.partners[1].country == "NO")
        #expect(site.data.isEmpty)
        #expect(site.pages.map(\.route) == ["/", "/partners/"])
    }

    @Test func missingAndUnknownFieldsAreErrorsAtTheRecord() {
        #expect(partnerErrors("- id: lyon\n  name: University of Lyon\n  country: FR\n  town: Lyon\n") == [
            "\(file):1:3: error: partner 'lyon' is missing 'city'; add 'city: ...'",
            "\(file):4:3: error: unknown key 'town' in partner 'lyon'; known keys are id, name, country, city, kind, areas, programs, since, url",
        ])
    }

    @Test func aRecordWithoutIdIsNamedByItsNumber() {
        #expect(partnerErrors("- id: a\n  name: A\n  country: FR\n  city: Paris\n- name: B\n  country: FR\n  city: Lyon\n")
            == ["\(file):5:3: error: partner #2 is missing 'id'; add 'id: ...'"])
    }

    @Test func wrongTypesAreErrorsAtTheirValues() {
        #expect(partnerErrors("- id: a\n  name: [A]\n  country: FR\n  city: Paris\n  areas: Nursing\n  programs: none\n") == [
            "\(file):2:9: error: partner 'a': 'name' must be text, found a list",
            "\(file):5:10: error: partner 'a': 'areas' must be a list like [Nursing, Pharmacy], found a single value",
            "\(file):6:13: error: partner 'a': 'programs' must be a list of '- name: ...' entries, found a single value",
        ])
    }

    @Test func duplicateIdsAreCaseInsensitive() {
        #expect(partnerErrors("- id: lyon\n  name: A\n  country: FR\n  city: Lyon\n- id: Lyon\n  name: B\n  country: FR\n  city: Lyon\n") == [
            "\(file):5:7: error: partner 'Lyon': id must be a lowercase slug like 'paris-descartes' (a-z, 0-9 and '-'), found \"Lyon\"",
        ])
        #expect(partnerErrors("- id: lyon\n  name: A\n  country: FR\n  city: Lyon\n- id: lyon\n  name: B\n  country: FR\n  city: Lyon\n") == [
            "\(file):5:7: error: partner 'lyon': id is already used by the partner at line 1; ids must be unique",
        ])
    }

    @Test func idsMustBeSlugs() {
        #expect(partnerErrors("- id: paris descartes\n  name: A\n  country: FR\n  city: Paris\n")
            == ["\(file):1:7: error: partner 'paris descartes': id must be a lowercase slug like 'paris-descartes' (a-z, 0-9 and '-'), found \"paris descartes\""])
    }

    @Test func countriesMustBeISOCodes() {
        #expect(partnerErrors("- id: a\n  name: A\n  country: fr\n  city: Paris\n- id: b\n  name: B\n  country: XX\n  city: Nowhere\n") == [
            "\(file):3:12: error: partner 'a': country must be an ISO 3166-1 alpha-2 code like FR or CA, found \"fr\"; write it in capitals: FR",
            "\(file):7:12: error: partner 'b': country must be an ISO 3166-1 alpha-2 code like FR or CA, found \"XX\"",
        ])
    }

    @Test func areasMustBeDeclaredInSiteYAML() {
        #expect(partnerErrors("- id: a\n  name: A\n  country: FR\n  city: Paris\n  areas: [Nursing, Dentistry]\n")
            == ["\(file):5:20: error: partner 'a': area 'Dentistry' is not declared in site.yaml; add it under 'areas:' or fix the spelling (declared: Clinical Medicine, Nursing, Pharmacy, Life Sciences)"])
    }

    @Test(arguments: [
        ("19O7", #"'since' must be a year like 1987 or a month like 2014-10, found "19O7""#),
        ("2014-13", #"'since' must be a year like 1987 or a month like 2014-10, found "2014-13""#),
        ("2014-10-01", #"'since' must be a year like 1987 or a month like 2014-10, found "2014-10-01""#),
        ("2027", "since 2027 is in the future"),
        ("2026-12", "since 2026-12 is in the future"),
    ])
    func sinceMustBeAPastYearOrMonth(_ since: String, _ message: String) {
        #expect(partnerErrors("- id: a\n  name: A\n  country: FR\n  city: Paris\n  since: \(since)\n")
            == ["\(file):5:10: error: partner 'a': \(message)"])
    }

    /// A partner's website is published on its page and in its JSON-LD: only a real http(s) address, with
    /// nothing in it a reader cannot see.
    @Test(arguments: [
        ("javascript:alert(1)", "it starts with 'javascript:' (only http:// and https:// addresses are allowed)"),
        ("data:text/html,x", "it starts with 'data:' (only http:// and https:// addresses are allowed)"),
        ("ftp://x.org/", "it starts with 'ftp:' (only http:// and https:// addresses are allowed)"),
        ("//x.org/", "it starts with '//' (only http:// and https:// addresses are allowed)"),
        ("https://", "it has no host (write it like https://example.org/)"),
        ("https:///", "it has no host (write it like https://example.org/)"),
        ("http://:80", "it has no host (write it like https://example.org/)"),
        ("http://x.org:99999/", "its port '99999' is not a number from 1 to 65535"),
        ("https://evil.org@x.org/", "it names a user before the host ('…@'), which hides where it leads"),
        ("https://x..org/", "its host 'x..org' has an empty part"),
        ("https://x.org/a\\tb", "it contains a tab; retype it"),
        ("https://x.org/a\\nb", "it contains a line break; retype it"),
        ("https://x.org/\u{00A0}", "it contains a non-breaking space (U+00A0); retype it"),
        ("https://x.org/\u{2028}", "it contains a line separator (U+2028); retype it"),
        ("https://x.org/\u{200B}", "it contains an invisible character (U+200B); retype it"),
        ("https://x.org/a b", "it contains a space (write it as %20); retype it"),
    ])
    func urlsMustBeRealHTTPAddresses(_ url: String, _ problem: String) {
        let written = url.replacingOccurrences(of: "\\t", with: "\t").replacingOccurrences(of: "\\n", with: "\n")
        let shown = written.debugDescription
        #expect(partnerErrors("- id: a\n  name: A\n  country: FR\n  city: Paris\n  url: \"\(url)\"\n")
            == ["\(file):5:8: error: partner 'a': url \(shown) is not a website address like https://www.example.org/: \(problem)"])
    }

    @Test func aBackslashIsNotASlash() {
        #expect(partnerErrors("- id: a\n  name: A\n  country: FR\n  city: Paris\n  url: 'https:\\\\x.org'\n")
            == [#"\#(file):5:8: error: partner 'a': url "https:\\\\x.org" is not a website address like https://www.example.org/: it contains a backslash (\); use /"#])
    }

    @Test(arguments: ["https://www.uottawa.ca/", "http://x.org:8080/a?b=c#d", "https://xn--fsq.example/", "https://université.fr/", "https://[::1]:8000/"])
    func realAddressesPass(_ url: String) {
        #expect(partnerErrors("- id: a\n  name: A\n  country: FR\n  city: Paris\n  url: \"\(url)\"\n") == [])
    }

    @Test func everyProblemInTheFileIsReported() {
        let errors = partnerErrors("- id: a\n  name: A\n  country: FR\n  city: Paris\n  since: soon\n- id: B\n  name: B\n  country: ZZ\n  city: X\n")
        #expect(errors.count == 3)
        #expect(errors.map { $0.prefix(30) } == ["\(file):5:10", "\(file):6:7: ", "\(file):8:12"].map { $0.prefix(30) })
    }

    @Test func aPartnerPageMustMatchAPartner() throws {
        let fs = InMemoryFileSystem(files: [
            "/site/site.yaml": "title: T\n",
            "/site/Content/index.md": "---\ntitle: Home\n---\n",
            "/site/Content/data/partners.yaml": "- id: lyon\n  name: Lyon\n  country: FR\n  city: Lyon\n",
            "/site/Content/partners/lyon.md": "---\ntitle: Lyon\n---\nMore.\n",
            "/site/Content/partners/lille.md": "---\ntitle: Lille\n---\n",
            "/site/Templates/page.mustache": "",
        ])
        #expect(throws: DiagnosticsError.self) { try SiteLoader(fileSystem: fs).load(root: "/site") }
        do {
            _ = try SiteLoader(fileSystem: fs).load(root: "/site")
        } catch let error as DiagnosticsError {
            #expect(error.diagnostics.map(\.description)
                == ["Content/partners/lille.md:1:1: error: Content/partners/lille.md matches no partner; name it after an id in Content/data/partners.yaml (lyon)"])
        }
        try fs.removeItem("/site/Content/partners/lille.md")
        let site = try SiteLoader(fileSystem: fs).load(root: "/site")
        #expect(site.partners.first?.page?.body == "More.\n")
        #expect(site.page(atContentPath: "partners/lyon.md") == nil)
    }
}
