import Foundation
import SiteData
import SiteIO
import SiteLoad
import SiteModel
import SiteWrite
import Testing
@testable import SiteRender

/// Partners and programmes as the Global Vision site declares them, cut down: what the engine makes of any
/// collection, with these two as the example.
let collectionsYAML = """
    title: T
    languages: [{code: en, name: English}, {code: zh-Hans, key: zh, name: 中文}]
    collections:
      partners:
        fields:
          name: {type: localized, required: true}
          country: {type: country, required: true}
          city: localized
          kind: {type: enum, values: [university, faculty, health-authority]}
          areas: {type: [enum], values: [clinical-medicine, nursing, pharmacy]}
          since: year-month
        pages:
          route: /partners/{id}/
          layout: partner
        list: {route: /partners/, layout: partners, sort: [name], group: country}
        by:
          areas: /partners/areas/{value}/
        json: partners.json
        json_ld:
          "@type": {field: kind, map: {university: CollegeOrUniversity}, default: EducationalOrganization}
          name: name
          address: {"@type": PostalAddress, addressLocality: city, addressCountry: country}
          knowsAbout: areas
      programmes:
        fields:
          name: {type: localized, required: true}
          description: localized
          partners: {type: [ref], to: partners}
        pages:
          route: /programs/{id}/
          layout: programme

    """

let partnersData = """
    - id: strasbourg
      name: {en: University of Strasbourg, zh: 斯特拉斯堡大学}
      country: FR
      city: {en: Strasbourg, zh: 斯特拉斯堡}
      kind: university
      areas: [clinical-medicine]
    - id: ottawa
      name: {en: University of Ottawa, zh: 渥太华大学}
      country: CA
      city: Ottawa
      kind: faculty
      areas: [clinical-medicine]
      since: 2014-10
    - id: bureau
      name: "Health Bureau </script><script>alert(1)</script>"
      country: FR
      kind: health-authority
      areas: [nursing]
    """

let programmesData = """
    - id: joint
      name: Joint school
      description: Founded together.
      partners: [ottawa]
    - id: exchange
      name: Nurse exchange
      partners: [bureau, strasbourg]
    """

let collectionStrings = """
    partners:
      summary: "{count} in {groups}"
      count: {one: "{n} partner", other: "{n} partners"}
      groups: {one: "{n} country", other: "{n} countries"}
      filtered: "{value}: {summary}"
      format:
        place: "{city}, {country}"
      areas:
        clinical-medicine: Clinical Medicine
    """

let collectionStringsZH = """
    partners:
      summary: "共 {count}，分布于 {groups}"
      count: {one: "{n} 个合作伙伴", other: "{n} 个合作伙伴"}
      groups: {one: "{n} 个国家", other: "{n} 个国家"}
      filtered: "{value}：{summary}"
      format:
        place: "{country}{city}"
      kind: {university: 大学, faculty: 医学院, health-authority: 卫生主管部门}
      areas: {clinical-medicine: 临床医学, nursing: 护理, pharmacy: 药学}
    country: {FR: 法国, CA: 加拿大}
    date:
      month_year: "{year}年{month_number}月"
    """

/// The pages of a site with those collections and these templates (and other files), by route.
func renderCollections(_ templates: [String: String], extra: [String: String] = [:]) throws -> [String: String] {
    var files = [
        "site.yaml": collectionsYAML,
        "Content/data/partners.yaml": partnersData,
        "Content/data/programmes.yaml": programmesData,
        "Templates/strings/en.yaml": collectionStrings,
        "Templates/strings/zh.yaml": collectionStringsZH,
        "Templates/partner.mustache": "{{partner.name}}",
        "Templates/partners.mustache": "{{partners.summary}}",
        "Templates/programme.mustache": "{{programme.name}}",
    ]
    for (k, v) in templates { files[k] = v }
    for (k, v) in extra { files[k] = v }
    return try render(files)
}

@Suite struct CollectionPagesTests {
    @Test func theListGroupsByCountryNameInEachLanguagesOrder() throws {
        let html = try renderCollections(["Templates/partners.mustache": """
            {{#partners}}{{summary}}|{{#groups}}{{label}}({{count}}):{{#items}}{{name}}@{{city}}/{{kind.label}}/{{url}};{{/items}}|{{/groups}}{{/partners}}
            """])
        #expect(html["/partners/"] == "3 partners in 2 countries|Canada(1):University of Ottawa@Ottawa/Faculty/ottawa/index.html;|France(2):Health Bureau &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;@/Health authority/bureau/index.html;University of Strasbourg@Strasbourg/University/strasbourg/index.html;|")
        // 法国 (fǎ) before 加拿大 (jiā): pinyin, not code point order (加 U+52A0 < 法 U+6CD5); Chinese's
        // collation puts Han before Latin letters.
        #expect(html["/zh/partners/"] == "共 3 个合作伙伴，分布于 2 个国家|法国(2):斯特拉斯堡大学@斯特拉斯堡/大学/strasbourg/index.html;Health Bureau &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;@/卫生主管部门/bureau/index.html;|加拿大(1):渥太华大学@Ottawa/医学院/ottawa/index.html;|")
    }

    @Test func eachValueWithRecordsGetsAPageThatWorksWithoutJavaScript() throws {
        let html = try renderCollections(["Templates/partners.mustache": """
            {{#partners}}{{#filter}}[{{label}}]{{/filter}}{{summary}}|{{#by.areas}}{{label}}={{url}}({{count}}){{#current}}*{{/current}},{{/by.areas}}|{{#items}}{{id}},{{/items}}|{{all_url}}{{/partners}}
            """])
        #expect(html["/partners/"] == "3 partners in 2 countries|Clinical Medicine=areas/clinical-medicine/index.html(2),Nursing=areas/nursing/index.html(1),|bureau,ottawa,strasbourg,|index.html")
        #expect(html["/partners/areas/nursing/"] == "[Nursing]Nursing: 1 partner in 1 country|Clinical Medicine=../clinical-medicine/index.html(2),Nursing=index.html(1)*,|bureau,|../../index.html")
        #expect(html["/partners/areas/clinical-medicine/"]?.hasPrefix("[Clinical Medicine]Clinical Medicine: 2 partners in 2 countries") == true)
        #expect(html["/partners/areas/pharmacy/"] == nil)
        #expect(html["/zh/partners/areas/nursing/"]?.hasPrefix("[护理]护理：共 1 个合作伙伴，分布于 1 个国家") == true)
    }

    @Test func recordPagesSeeTypedLocalizedValuesAndTheirProse() throws {
        let html = try renderCollections(["Templates/partner.mustache": """
            {{#partner}}{{name}}|{{country.code}}={{country.name}}|{{kind.value}}={{kind.label}}|{{since.value}}={{since.display}}|{{formatted.place}}|{{#areas}}{{label}}>{{url}}{{/areas}}{{/partner}}|{{page.title}}|{{{page.content}}}
            """], extra: ["Content/partners/ottawa.md": "See [Strasbourg](strasbourg.md).\n", "Content/partners/ottawa.zh.md": "---\ntitle: 渥太华大学医学院\n---\n见[斯特拉斯堡](strasbourg.md)。\n"])
        #expect(html["/partners/ottawa/"] == "University of Ottawa|CA=Canada|faculty=Faculty|2014-10=October 2014|Ottawa, Canada|Clinical Medicine>../areas/clinical-medicine/index.html|University of Ottawa|<p>See <a href=\"../strasbourg/index.html\">Strasbourg</a>.</p>\n")
        #expect(html["/zh/partners/ottawa/"] == "渥太华大学|CA=加拿大|faculty=医学院|2014-10=2014年10月|加拿大Ottawa|临床医学>../areas/clinical-medicine/index.html|渥太华大学医学院|<p>见<a href=\"../strasbourg/index.html\">斯特拉斯堡</a>。</p>\n")
        #expect(html["/partners/strasbourg/"] == "University of Strasbourg|FR=France|university=University|=|Strasbourg, France|Clinical Medicine>../areas/clinical-medicine/index.html|University of Strasbourg|")
    }

    @Test func referencesAreFollowedBothWays() throws {
        let html = try renderCollections([
            "Templates/partner.mustache": "{{#partner}}{{#referenced_by.programmes}}{{name}}>{{url}};{{/referenced_by.programmes}}{{/partner}}",
            "Templates/programme.mustache": "{{#programme}}{{#partners}}{{name}}>{{url}}({{#referenced_by.programmes}}{{id}},{{/referenced_by.programmes}});{{/partners}}{{/programme}}",
        ])
        #expect(html["/partners/ottawa/"] == "Joint school>../../programs/joint/index.html;")
        #expect(html["/partners/bureau/"] == "Nurse exchange>../../programs/exchange/index.html;")
        #expect(html["/partners/strasbourg/"] == "Nurse exchange>../../programs/exchange/index.html;")
        #expect(html["/programs/exchange/"] == "Health Bureau &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;>../../partners/bureau/index.html(exchange,);University of Strasbourg>../../partners/strasbourg/index.html(exchange,);")
    }

    /// Mustache looks a name it does not find up in the enclosing contexts: a programme without a description,
    /// listed on a programme that has one, must not show the outer one.
    @Test func aFieldARecordLeavesOutIsNeverTakenFromAnEnclosingRecord() throws {
        let html = try renderCollections([
            "Templates/partner.mustache": "{{#partner}}{{#referenced_by.programmes}}{{name}}:{{description}}{{#since}}!{{/since}};{{/referenced_by.programmes}}{{/partner}}",
            "Templates/programme.mustache": "{{#programme}}{{description}}|{{#partners}}{{name}}:{{#since}}{{display}}{{/since}}:{{#referenced_by.programmes}}{{description}}{{/referenced_by.programmes}};{{/partners}}{{/programme}}",
        ])
        #expect(html["/programs/joint/"] == "Founded together.|University of Ottawa:October 2014:Founded together.;")
        #expect(html["/programs/exchange/"] == "|Health Bureau &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;::;University of Strasbourg::;")
    }

    @Test func recordsAreFollowedTwoReferencesDeepAndNoFurther() {
        #expect(renderErrors([
            "site.yaml": collectionsYAML, "Content/data/partners.yaml": partnersData, "Content/data/programmes.yaml": programmesData,
            "Templates/strings/zh.yaml": collectionStringsZH,
            "Templates/partner.mustache": "", "Templates/partners.mustache": "",
            "Templates/programme.mustache": "{{#programme}}{{#partners}}{{#referenced_by.programmes}}{{#partners}}{{name}}{{/partners}}{{/referenced_by.programmes}}{{/partners}}{{/programme}}",
        ]) == ["Templates/programme.mustache:1:57: error: 'partners': 'partners' of programme records here: records are followed at most 2 references away from the page's own, and this would be one more; show it from a nearer record"])
    }

    @Test func jsonLDComesFromTheSitesMappingAndCannotBreakOutOfItsScript() throws {
        let html = try renderCollections(["Templates/partner.mustache": "<script type=\"application/ld+json\">{{{json_ld}}}</script>"])
        #expect(html["/partners/bureau/"] == #"<script type="application/ld+json">{"@context":"https://schema.org","@type":"EducationalOrganization","name":"Health Bureau \u003c/script\u003e\u003cscript\u003ealert(1)\u003c/script\u003e","address":{"@type":"PostalAddress","addressCountry":"FR"},"knowsAbout":["Nursing"]}</script>"#)
        #expect(html["/partners/ottawa/"]?.contains(#""@type":"CollegeOrUniversity""#) == false)
        #expect(html["/partners/strasbourg/"]?.contains(#""@type":"CollegeOrUniversity""#) == true)
    }

    @Test func aPageCanAskForRecordsInItsFrontMatter() throws {
        let html = try renderCollections(["Templates/page.mustache": "{{#partners}}{{#items}}{{name}};{{/items}}{{/partners}}"],
                                         extra: ["Content/france.md": "---\ntitle: France\ncollections: {partners: {country: FR, areas: clinical-medicine}}\n---\n"])
        #expect(html["/france/"] == "University of Strasbourg;")
    }

    @Test func aQueryForAValueOutsideTheListIsAnErrorAtItsLine() {
        #expect(renderErrors([
            "site.yaml": collectionsYAML, "Content/data/partners.yaml": partnersData, "Content/data/programmes.yaml": programmesData,
            "Templates/strings/zh.yaml": collectionStringsZH,
            "Templates/partner.mustache": "", "Templates/partners.mustache": "", "Templates/programme.mustache": "",
            "Content/france.md": "---\ntitle: France\ncollections: {partners: {areas: nursng}}\n---\n",
        ]) == ["Content/france.md:3:33: error: 'areas' must be one of clinical-medicine, nursing, pharmacy, found \"nursng\"; did you mean 'nursing'?"])
    }

    @Test func recordPagesNeedALayout() {
        #expect(renderErrors([
            "site.yaml": collectionsYAML, "Content/data/partners.yaml": partnersData, "Content/data/programmes.yaml": programmesData,
            "Templates/strings/zh.yaml": collectionStringsZH,
            "Templates/partners.mustache": "", "Templates/programme.mustache": "",
        ]) == ["site.yaml:4:3: error: partners has a page per record, but there is no layout for them; add Templates/partner.mustache"])
    }

    @Test func theJSONExportHasOneShapeForEveryRecord() throws {
        var files = [
            "/s/site.yaml": collectionsYAML + "base_url: https://example.org/gv\n",
            "/s/Content/index.md": "---\ntitle: H\n---\n",
            "/s/Content/data/partners.yaml": partnersData,
            "/s/Content/data/programmes.yaml": programmesData,
        ]
        files["/s/Templates/page.mustache"] = ""
        let site = try SiteLoader(fileSystem: InMemoryFileSystem(files: files)).load(root: "/s")
        let json = SiteExports.collectionJSON(site.collections[0], languages: ["en", "zh"], baseURL: site.config.baseURL)
        #expect(json.hasPrefix("""
            {
              "collection": "partners",
              "count": 3,
              "records": [
                {
                  "id": "strasbourg",
                  "name": {"en":"University of Strasbourg","zh":"斯特拉斯堡大学"},
                  "country": "FR",
                  "city": {"en":"Strasbourg","zh":"斯特拉斯堡"},
                  "kind": "university",
                  "areas": ["clinical-medicine"],
                  "since": null,
                  "path": "partners/strasbourg/",
                  "page_url": "https://example.org/gv/partners/strasbourg/"
                },
            """))
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let records = try #require(parsed?["records"] as? [[String: Any]])
        #expect(records.map { $0["id"] as? String } == ["strasbourg", "ottawa", "bureau"])
        #expect(Set(records.map { $0.keys.sorted() }).count == 1)
        #expect((records[2]["name"] as? [String: String])?["en"] == "Health Bureau </script><script>alert(1)</script>")
        #expect(records[1]["since"] as? String == "2014-10")
    }
}
