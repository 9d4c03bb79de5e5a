import SiteData
import SiteIO
import SiteModel
import Testing
@testable import SiteLoad

/// A site in English and Chinese declaring `collections` (the YAML under `collections:`), with `data` as its
/// files under `Content/data/` and `files` besides.
func loadCollections(_ collections: String, data: [String: String], files: [String: String] = [:]) throws -> Site {
    var all = [
        "/site/site.yaml": "title: T\nlanguages: [{code: en, name: English}, {code: zh-Hans, key: zh, name: 中文}]\ncollections:\n"
            + collections.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n") + "\n",
        "/site/Content/index.md": "---\ntitle: Home\n---\n",
        "/site/Templates/page.mustache": "",
    ]
    for (name, text) in data { all["/site/Content/data/" + name] = text }
    for (path, text) in files { all["/site/" + path] = text }
    return try SiteLoader(fileSystem: InMemoryFileSystem(files: all)).load(root: "/site")
}

/// One collection `things` whose field `value` is declared as `declaration`, with one record `a` whose
/// value is written `value` (at line 2, column 10 of things.yaml).
func thing(_ declaration: String, _ value: String) -> (value: FieldValue?, errors: [String]) {
    do {
        let site = try loadCollections("things:\n  fields: {value: \(declaration)}", data: ["things.yaml": "- id: a\n  value: \(value)\n"])
        return (site.collections.first?.records.first?.values["value"], [])
    } catch let error as DiagnosticsError {
        return (nil, error.diagnostics.map(\.description))
    } catch {
        return (nil, ["unexpected: \(error)"])
    }
}

let at = "Content/data/things.yaml:2:10: error: thing 'a': "

/// Each type's accepted values (and what they are read as) and rejected ones (with the exact message).
@Suite struct SchemaTableTests {
    @Test(arguments: [
        ("text", "NO", FieldValue.text("NO")),
        ("text", "2024", .text("2024")),
        ("text", "yes", .text("yes")),
        ("text", "'Université de Lille'", .text("Université de Lille")),
        ("localized", "Lyon", .localized("Lyon", [:])),
        ("localized", "{en: Lyon, zh: 里昂}", .localized("Lyon", ["zh": "里昂"])),
        ("markdown", "'*Joint* school'", .markdown("*Joint* school", [:])),
        ("markdown", "{en: '**A**', zh: '**甲**'}", .markdown("**A**", ["zh": "**甲**"])),
        ("slug", "health-authority", .text("health-authority")),
        ("integer", "12", .integer(12)),
        ("integer", "-3", .integer(-3)),
        ("number", "4.5", .number(4.5)),
        ("number", "-1e3", .number(-1000)),
        ("bool", "true", .bool(true)),
        ("bool", "false", .bool(false)),
        ("date", "2024-02-29", .date(CalendarDate(year: 2024, month: 2, day: 29)!)),
        ("year-month", "1987", .yearMonth(year: 1987, month: nil)),
        ("year-month", "2014-10", .yearMonth(year: 2014, month: 10)),
        ("url", "https://www.uottawa.ca/", .url("https://www.uottawa.ca/")),
        ("url", "http://x.org:8080/a?b=c#d", .url("http://x.org:8080/a?b=c#d")),
        ("url", "https://université.fr/", .url("https://université.fr/")),
        ("email", "office@sjtu.edu.cn", .email("office@sjtu.edu.cn")),
        ("country", "NO", .country("NO")),
        ("country", "FR", .country("FR")),
        ("point", "[45.76, 4.84]", .point(latitude: 45.76, longitude: 4.84)),
        ("point", "{lat: -33.9, lon: 151.2}", .point(latitude: -33.9, longitude: 151.2)),
        ("point", "'45.76, 4.84'", .point(latitude: 45.76, longitude: 4.84)),
        ("{type: enum, values: [university, faculty]}", "faculty", .enumeration("faculty")),
        ("[text]", "[a, b]", .list([.text("a"), .text("b")])),
        ("[text]", "one", .list([.text("one")])),
        ("[integer]", "[1, 2]", .list([.integer(1), .integer(2)])),
        ("{type: [enum], values: [nursing, pharmacy]}", "[pharmacy, nursing]", .list([.enumeration("pharmacy"), .enumeration("nursing")])),
        ("[country]", "[FR, CA]", .list([.country("FR"), .country("CA")])),
    ] as [(String, String, FieldValue)])
    func accepted(_ declaration: String, _ written: String, _ value: FieldValue) {
        let result = thing(declaration, written)
        #expect(result.errors == [])
        #expect(result.value == value)
    }

    @Test(arguments: [
        ("text", "[a]", "'value' must be text, found a list"),
        ("localized", "[Lyon]", "'value' must be text, or one text per language like {en: …, zh: …}, found a list"),
        ("localized", "{zh: 里昂}", "'value' needs a text in the default language; add 'en: …'"),
        ("slug", "Health Authority", "'value' must be a slug: lowercase letters, digits and '-', like paris-descartes, found \"Health Authority\""),
        ("integer", "12.5", "'value' must be a whole number like 12, found \"12.5\""),
        ("integer", "twelve", "'value' must be a whole number like 12, found \"twelve\""),
        ("number", "0x1p3", "'value' must be a number like 4.5, found \"0x1p3\""),
        ("number", ".nan", "'value' must be a number like 4.5, found \".nan\""),
        ("bool", "yes", "'value' must be true or false, found \"yes\""),
        ("date", "2023-02-29", "'value' must be a real date YYYY-MM-DD, found \"2023-02-29\""),
        ("date", "29/02/2024", "'value' must be a real date YYYY-MM-DD, found \"29/02/2024\""),
        ("year-month", "2014-13", "'value' must be a year like 1987 or a month like 2014-10, found \"2014-13\""),
        ("year-month", "19O7", "'value' must be a year like 1987 or a month like 2014-10, found \"19O7\""),
        ("url", "javascript:alert(1)", "'value' \"javascript:alert(1)\" is not a website address like https://www.example.org/: it starts with 'javascript:' (only http:// and https:// addresses are allowed)"),
        ("url", "www.uottawa.ca", "'value' \"www.uottawa.ca\" is not a website address like https://www.example.org/: it has no https:// in front; write https://www.uottawa.ca"),
        ("url", "'https://x.org/a b'", "'value' \"https://x.org/a b\" is not a website address like https://www.example.org/: it contains a space (write it as %20); retype it"),
        ("email", "office at sjtu.edu.cn", "'value' must be an e-mail address like name@example.org, found \"office at sjtu.edu.cn\""),
        ("email", "mailto:office@sjtu.edu.cn", "'value' must be an e-mail address like name@example.org, found \"mailto:office@sjtu.edu.cn\"; write it without 'mailto:'"),
        ("email", "office@sjtu", "'value' must be an e-mail address like name@example.org, found \"office@sjtu\""),
        ("email", "'a..b@x.org'", "'value' must be an e-mail address like name@example.org, found \"a..b@x.org\""),
        ("country", "fr", "'value' must be an ISO 3166-1 alpha-2 code like FR or CA, found \"fr\"; write it in capitals: FR"),
        ("country", "XX", "'value' must be an ISO 3166-1 alpha-2 code like FR or CA, found \"XX\""),
        ("country", "France", "'value' must be an ISO 3166-1 alpha-2 code like FR or CA, found \"France\""),
        ("point", "[91, 0]", "'value': a latitude is between -90 and 90, found 91"),
        ("point", "[0, 181]", "'value': a longitude is between -180 and 180, found 181"),
        ("point", "Lyon", "'value' must be a point: [latitude, longitude] like [45.76, 4.84], found \"Lyon\""),
        ("{type: enum, values: [university, faculty]}", "univeristy", "'value' must be one of university, faculty, found \"univeristy\"; did you mean 'university'?"),
        ("{type: enum, values: [university, faculty]}", "University", "'value' must be one of university, faculty, found \"University\"; did you mean 'university'?"),
        ("[text]", "{a: b}", "'value' must be a list like [a, b], found a mapping"),
    ])
    func rejected(_ declaration: String, _ written: String, _ message: String) {
        #expect(thing(declaration, written).errors == [at + message])
    }

    /// A URL field is published in `href`s and JSON-LD: only a real http(s) address, with nothing in it a
    /// reader cannot see.
    @Test(arguments: [
        ("data:text/html,x", "it starts with 'data:' (only http:// and https:// addresses are allowed)"),
        ("ftp://x.org/", "it starts with 'ftp:' (only http:// and https:// addresses are allowed)"),
        ("//x.org/", "it starts with '//' (only http:// and https:// addresses are allowed)"),
        ("https://", "it has no host (write it like https://example.org/)"),
        ("http://:80", "it has no host (write it like https://example.org/)"),
        ("http://x.org:99999/", "its port '99999' is not a number from 1 to 65535"),
        ("https://evil.org@x.org/", "it names a user before the host ('…@'), which hides where it leads"),
        ("https://x..org/", "its host 'x..org' has an empty part"),
        ("https://x.org/a\\tb", "it contains a tab; retype it"),
        ("https://x.org/\u{00A0}", "it contains a non-breaking space (U+00A0); retype it"),
        ("https://x.org/\u{200B}", "it contains an invisible character (U+200B); retype it"),
    ])
    func urlsMustBeRealHTTPAddresses(_ url: String, _ problem: String) {
        let written = url.replacingOccurrences(of: "\\t", with: "\t")
        #expect(thing("url", "\"\(url)\"").errors
            == ["\(at)'value' \(written.debugDescription) is not a website address like https://www.example.org/: \(problem)"])
    }

    @Test func aBackslashIsNotASlash() {
        #expect(thing("url", "'https:\\\\x.org'").errors
            == [#"\#(at)'value' "https:\\\\x.org" is not a website address like https://www.example.org/: it contains a backslash (\); use /"#])
    }

    @Test func aTextForALanguageTheSiteDoesNotHaveIsAnErrorAtIt() {
        #expect(thing("localized", "{en: Lyon, fr: Lyon}").errors
            == ["Content/data/things.yaml:2:21: error: thing 'a': 'value' has a text for 'fr', which is not a language of the site; site.yaml declares en, zh"])
    }

    @Test func aListReportsEachBadItemAtItsPosition() {
        #expect(thing("{type: [enum], values: [nursing, pharmacy]}", "[nursing, dentistry, pharmcy]").errors == [
            "Content/data/things.yaml:2:20: error: thing 'a': 'value' must be one of nursing, pharmacy, found \"dentistry\"",
            "Content/data/things.yaml:2:31: error: thing 'a': 'value' must be one of nursing, pharmacy, found \"pharmcy\"; did you mean 'pharmacy'?",
        ])
    }

    @Test(arguments: ["", "~", "null"])
    func anEmptyValueIsALeftOutField(_ written: String) {
        #expect(thing("url", written).errors == [])
        #expect(thing("url", written).value == nil)
        #expect(thing("{type: url, required: true}", written).errors
            == ["Content/data/things.yaml:2:\(written.isEmpty ? 9 : 10): error: thing 'a': 'value' is empty, but every thing must have one; fill it in"])
    }

    @Test func declarationsAreCheckedWhereTheyAreWritten() {
        #expect(thing("{type: txt}", "x").errors
            == ["site.yaml:5:28: error: unknown field type 'txt'; did you mean 'text'?"])
        #expect(thing("{type: enum}", "x").errors
            == ["site.yaml:5:28: error: an enum needs its values, like {type: enum, values: [university, faculty]}"])
        #expect(thing("{type: ref}", "x").errors
            == ["site.yaml:5:28: error: a reference names its collection, like {type: ref, to: people}"])
        #expect(thing("{type: ref, to: partner}", "x").errors
            == ["site.yaml:5:14: error: 'value' refers to the collection 'partner', which is not declared (declared: things)"])
        #expect(thing("{type: text, requird: true}", "x").errors.count == 1)
    }
}

@Suite struct RecordRulesTests {
    let declaration = "partners:\n  fields:\n    name: {type: localized, required: true}\n    country: {type: country, required: true}\n    kind: {type: enum, values: [university, faculty, health-authority]}"
    let file = "Content/data/partners.yaml"

    func errors(_ yaml: String) -> [String] {
        diagnostics { try loadCollections(declaration, data: ["partners.yaml": yaml]) }
    }

    @Test func missingAndUnknownFieldsAreErrorsAtTheRecord() {
        #expect(errors("- id: lyon\n  name: University of Lyon\n  town: Lyon\n") == [
            "\(file):1:3: error: partner 'lyon' is missing 'country', which every partner must have; add 'country: …'",
            "\(file):3:3: error: partner 'lyon': unknown field 'town'; partners has id, name, country, kind (declare others in site.yaml)",
        ])
    }

    @Test func aMistypedFieldNameGetsTheNearestName() {
        #expect(errors("- id: lyon\n  name: Lyon\n  contry: FR\n") == [
            "\(file):1:3: error: partner 'lyon' is missing 'country', which every partner must have; add 'country: …'",
            "\(file):3:3: error: partner 'lyon': unknown field 'contry'; did you mean 'country'?",
        ])
    }

    @Test func aRecordWithoutIdIsNamedByItsNumber() {
        #expect(errors("- id: a\n  name: A\n  country: FR\n- name: B\n  country: FR\n")
            == ["\(file):4:3: error: partner #2 is missing 'id', which every partner must have; add 'id: …'"])
    }

    @Test func idsAreUniqueWhateverTheirCaseAndNormalization() {
        #expect(errors("- id: lyon\n  name: A\n  country: FR\n- id: Lyon\n  name: B\n  country: FR\n") == [
            "\(file):4:7: error: partner 'Lyon': the id is already used by the partner at line 1 ('lyon'); ids must be unique, whatever their case",
        ])
        // "é" precomposed, then as "e" and a combining acute accent.
        #expect(errors("- id: caf\u{E9}\n  name: A\n  country: FR\n- id: cafe\u{301}\n  name: B\n  country: FR\n").count == 1)
        #expect(errors("- id: lyon\n  name: A\n  country: FR\n- id: lyon\n  name: B\n  country: FR\n") == [
            "\(file):4:7: error: partner 'lyon': the id is already used by the partner at line 1; ids must be unique, whatever their case",
        ])
    }

    @Test func idsArePartOfAddresses() {
        #expect(errors("- id: paris descartes\n  name: A\n  country: FR\n") == [
            "\(file):1:7: error: partner 'paris descartes': the id must be letters, digits, '-' and '_' (it is part of the address of the partner's page), found \"paris descartes\"; write it like \"paris-descartes\"",
        ])
        #expect(errors("- id: a/b\n  name: A\n  country: FR\n").count == 1)
        #expect(errors("- id: ..\n  name: A\n  country: FR\n").count == 1)
        #expect(errors("- id: P001\n  name: A\n  country: FR\n- id: 上海\n  name: B\n  country: CN\n") == [])
    }

    @Test func stringsStayStrings() throws {
        let site = try loadCollections(declaration, data: ["partners.yaml": "- id: oslo\n  name: NO\n  country: NO\n"])
        #expect(site.collections[0].records[0].values["country"] == .country("NO"))
        #expect(site.collections[0].records[0].values["name"] == .localized("NO", [:]))
    }

    @Test func everyProblemOfEveryRecordIsReportedAtOnce() {
        let found = errors("- id: a\n  name: A\n  country: fr\n  kind: univresity\n- id: b\n  country: XX\n- id: a\n  name: C\n  country: FR\n")
        #expect(found == [
            "\(file):3:12: error: partner 'a': 'country' must be an ISO 3166-1 alpha-2 code like FR or CA, found \"fr\"; write it in capitals: FR",
            "\(file):4:9: error: partner 'a': 'kind' must be one of university, faculty, health-authority, found \"univresity\"; did you mean 'university'?",
            "\(file):5:3: error: partner 'b' is missing 'name', which every partner must have; add 'name: …'",
            "\(file):6:12: error: partner 'b': 'country' must be an ISO 3166-1 alpha-2 code like FR or CA, found \"XX\"",
        ])
    }

    @Test func theDataMustBeAListOfRecords() {
        #expect(errors("id: a\nname: A\n") == [
            "\(file):1:1: error: Content/data/partners.yaml must be a list of partners (one record per '- id: …' in YAML, per row in CSV, per object in a JSON array), found a mapping",
        ])
    }

    @Test func aCollectionWithoutDataIsAnError() {
        #expect(diagnostics { try loadCollections(declaration, data: [:]) }.count == 1)
    }
}

/// The same records written as YAML, as CSV (a spreadsheet's export, with `;` lists and `name.zh` columns) and
/// as JSON give the same site; the same mistakes give the same errors, each at its own position.
@Suite struct SourceParityTests {
    let declaration = """
        people:
          fields:
            name: {type: localized, required: true}
            email: email
            country: country
            role: {type: enum, values: [dean, professor, coordinator]}
            topics: [text]
            since: year-month
          list: {route: /people/, sort: [name]}
        """
    let yaml = """
        - id: li-wei
          name: {en: Li Wei, zh: 李伟}
          email: li.wei@example.org
          country: CN
          role: dean
          topics: [nursing, pharmacy]
          since: 2014-10
        - id: anne-martin
          name: Anne Martin
          country: FR
          role: coordinator
        """
    let csv = """
        id,name,name.zh,email,country,role,topics,since
        li-wei,Li Wei,李伟,li.wei@example.org,CN,dean,nursing; pharmacy,2014-10
        anne-martin,Anne Martin,,,FR,coordinator,,

        """
    let json = """
        [
          {"id": "li-wei", "name": {"en": "Li Wei", "zh": "李伟"}, "email": "li.wei@example.org", "country": "CN",
           "role": "dean", "topics": ["nursing", "pharmacy"], "since": "2014-10"},
          {"id": "anne-martin", "name": "Anne Martin", "country": "FR", "role": "coordinator", "email": null}
        ]
        """

    func records(_ file: String, _ text: String) throws -> [Record] {
        try loadCollections(declaration, data: [file: text]).collections[0].records
    }

    @Test func theSameRecordsFromYAMLCSVAndJSON() throws {
        let fromYAML = try records("people.yaml", yaml)
        #expect(fromYAML.map(\.id) == ["li-wei", "anne-martin"])
        #expect(fromYAML[0].values["topics"] == .list([.text("nursing"), .text("pharmacy")]))
        for (file, text) in [("people.csv", csv), ("people.json", json)] {
            let other = try records(file, text)
            #expect(other.map(\.id) == fromYAML.map(\.id), "\(file)")
            #expect(other.map(\.values) == fromYAML.map(\.values), "\(file)")
        }
    }

    @Test func theSameMistakesGiveTheSameErrorsAtTheirOwnPositions() {
        let badYAML = yaml.replacingOccurrences(of: "role: dean", with: "role: deen").replacingOccurrences(of: "country: FR", with: "country: fr")
        let badCSV = csv.replacingOccurrences(of: ",dean,", with: ",deen,").replacingOccurrences(of: ",FR,", with: ",fr,")
        let badJSON = json.replacingOccurrences(of: "\"dean\"", with: "\"deen\"").replacingOccurrences(of: "\"FR\"", with: "\"fr\"")
        let role = "error: person 'li-wei': 'role' must be one of dean, professor, coordinator, found \"deen\"; did you mean 'dean'?"
        let country = "error: person 'anne-martin': 'country' must be an ISO 3166-1 alpha-2 code like FR or CA, found \"fr\"; write it in capitals: FR"
        #expect(diagnostics { try loadCollections(declaration, data: ["people.yaml": badYAML]) }
            == ["Content/data/people.yaml:5:9: \(role)", "Content/data/people.yaml:10:12: \(country)"])
        #expect(diagnostics { try loadCollections(declaration, data: ["people.csv": badCSV]) }
            == ["Content/data/people.csv:2:6: \(role)", "Content/data/people.csv:3:5: \(country)"])
        #expect(diagnostics { try loadCollections(declaration, data: ["people.json": badJSON]) }
            == ["Content/data/people.json:3:12: \(role)", "Content/data/people.json:4:59: \(country)"])
    }

    @Test func csvShapeProblemsAreReportedAtTheirRow() {
        #expect(diagnostics { try loadCollections(declaration, data: ["people.csv": "id,name\na,A,extra\n"]) }
            == ["Content/data/people.csv:2:1: error: row 2 has 3 cells, but the header has 2 columns; check for a missing or extra separator"])
        #expect(diagnostics { try loadCollections(declaration, data: ["people.csv": "id,name\na,\"A\n"]) }
            == ["Content/data/people.csv:2:2: error: a quoted cell is never closed; add the closing quote"])
        // A column that is no field, and a required field without a column, are one error each at the
        // header, however many rows there are.
        #expect(diagnostics { try loadCollections(declaration, data: ["people.csv": "id,nmae\na,A\nb,B\nc,C\n"]) }
            == ["Content/data/people.csv:1:1: error: the header has no column 'name', which every person must have; add the column",
                "Content/data/people.csv:1:2: error: the column 'nmae' is no field of people; did you mean 'name'?"])
        // A required field's empty cell is an error at that cell.
        #expect(diagnostics { try loadCollections(declaration, data: ["people.csv": "id,name\na,A\nb,\n"]) }
            == ["Content/data/people.csv:3:2: error: person 'b': 'name' is empty, but every person must have one; fill it in"])
    }

    @Test func semicolonSeparatedCSVAsEuropeanExcelWritesIt() throws {
        let records = try records("people.csv", "\u{FEFF}id;name;topics\r\nli-wei;\"Li; Wei\";a, b\r\n")
        #expect(records.first?.values["name"] == .localized("Li; Wei", [:]))
    }

    @Test func twoSourcesForOneCollectionIsAnError() {
        #expect(diagnostics { try loadCollections(declaration, data: ["people.yaml": yaml, "people.csv": csv]) }.count == 1)
    }
}

@Suite struct ReferenceTests {
    let declarations = """
        partners:
          fields: {name: text}
        programmes:
          fields:
            name: text
            partners: {type: [ref], to: partners}
            part_of: {type: ref, to: programmes}
        """

    func load(_ partners: String, _ programmes: String) throws -> Site {
        try loadCollections(declarations, data: ["partners.yaml": partners, "programmes.yaml": programmes])
    }

    @Test func aReferenceToAnIdThatDoesNotExistSuggestsTheNearest() {
        #expect(diagnostics { try load("- id: lyon\n  name: Lyon\n- id: lille\n  name: Lille\n",
                                       "- id: m\n  name: M\n  partners: [lyon, lile]\n- id: n\n  name: N\n  part_of: x\n") } == [
            "Content/data/programmes.yaml:3:20: error: programme 'm': 'partners' names 'lile', which is no partner; did you mean 'lille'?",
            "Content/data/programmes.yaml:6:12: error: programme 'n': 'part_of' names 'x', which is no programme",
        ])
    }

    @Test func referencesAreFollowedBothWays() throws {
        let site = try load("- id: lyon\n  name: Lyon\n- id: lille\n  name: Lille\n- id: rouen\n  name: Rouen\n",
                            "- id: m\n  name: M\n  partners: [lyon, lille]\n- id: n\n  name: N\n  partners: [lyon]\n  part_of: m\n")
        let index = ReferenceIndex(site.collections)
        #expect(index.referrers(of: "lyon", in: "partners").map { ($0.0, $0.1.map(\.id)) }.map { "\($0.0): \($0.1)" }
            == ["programmes: [\"m\", \"n\"]"])
        #expect(index.referrers(of: "rouen", in: "partners").isEmpty)
        #expect(index.referrers(of: "m", in: "programmes").map { "\($0.0): \($0.1.map(\.id))" } == ["programmes: [\"n\"]"])
    }
}

/// Each language's order, as its readers expect it: not code point order.
@Suite struct CollationTests {
    func sorted(_ words: [String], _ code: String) -> [String] {
        let collation = Collation(language: Language(code: code, key: code, name: code))
        let records = words.enumerated().map { Record(id: "r\($0.offset)", values: ["name": .text($0.element)], location: SourceLocation(file: "x")) }
        return collation.sorted(records, by: [SortKey(field: "name")]) { $1.text(in: "") }.map { $0.values["name"]!.text(in: "") }
    }

    @Test func chineseSortsByPinyin() {
        // Code point order would give 巴 艾 斯 格 蒙 里 鲁 (U+5DF4 U+827E U+65AF …).
        #expect(sorted(["斯特拉斯堡", "巴黎", "里尔", "艾克斯-马赛", "格勒诺布尔", "蒙彼利埃", "鲁昂", "里昂"], "zh-Hans")
            == ["艾克斯-马赛", "巴黎", "格勒诺布尔", "里昂", "里尔", "鲁昂", "蒙彼利埃", "斯特拉斯堡"])
    }

    @Test func englishSortsWithoutRegardToCaseOrAccents() {
        // Code point order would put every capital first and every accented letter last.
        #expect(sorted(["zebra", "Émilie", "apple", "Eve", "éclair", "Zoë", "Ángel", "bob"], "en")
            == ["Ángel", "apple", "bob", "éclair", "Émilie", "Eve", "zebra", "Zoë"])
    }

    @Test func numbersAndDatesSortByValueAndMissingValuesGoLast() {
        let collation = Collation(language: Language(code: "en", key: "en", name: "English"))
        let records = [("a", FieldValue.integer(10)), ("b", .integer(9)), ("c", nil), ("d", .integer(-1))].map { id, value in
            Record(id: id, values: value.map { ["n": $0] } ?? [:], location: SourceLocation(file: "x"))
        }
        #expect(collation.sorted(records, by: [SortKey(field: "n")]) { $1.text(in: "") }.map(\.id) == ["d", "b", "a", "c"])
        #expect(collation.sorted(records, by: [SortKey(field: "n", descending: true)]) { $1.text(in: "") }.map(\.id) == ["a", "b", "d", "c"])
    }
}
