import Foundation
import SiteIO
import SiteLoad
import SiteModel
import SiteWrite
import Testing
@testable import SiteRender

let partnersYAML = """
    - id: strasbourg
      name: University of Strasbourg
      country: FR
      city: Strasbourg
      kind: university
      areas: [Clinical Medicine]
    - id: ottawa
      name: University of Ottawa
      country: CA
      city: Ottawa
      kind: faculty
      areas: [Clinical Medicine]
      since: 2014-10
    - id: bureau
      name: "Health Bureau </script><script>alert(1)</script>"
      country: FR
      city: Strasbourg
      kind: health-authority
      areas: [Nursing]
    """

func renderPartners(_ templates: [String: String], extra: [String: String] = [:]) throws -> [String: String] {
    var files = [
        "site.yaml": "title: T\nareas: [Clinical Medicine, Nursing, Pharmacy]\n",
        "Content/data/partners.yaml": partnersYAML,
        "Templates/partner.mustache": "{{partner.name}}",
        "Templates/partners.mustache": "{{partners.summary}}",
    ]
    for (k, v) in templates { files[k] = v }
    for (k, v) in extra { files[k] = v }
    return try render(files)
}

@Suite struct PartnerPagesTests {
    @Test func thePartnersPageGroupsByCountryNameWithASummary() throws {
        let html = try renderPartners(["Templates/partners.mustache": """
            {{#partners}}{{summary}}|{{#countries}}{{name}}({{count}}):{{#partners}}{{name}}@{{city}}/{{kind_label}}/{{url}};{{/partners}}|{{/countries}}{{/partners}}
            """])
        #expect(html["/partners/"] == "3 partners in 2 countries|Canada(1):University of Ottawa@Ottawa/Faculty/ottawa/index.html;|France(2):Health Bureau &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;@Strasbourg/Health authority/bureau/index.html;University of Strasbourg@Strasbourg/University/strasbourg/index.html;|")
    }

    @Test func eachAreaWithPartnersGetsAPageThatWorksWithoutJavaScript() throws {
        let html = try renderPartners(["Templates/partners.mustache": """
            {{#partners}}{{#area}}[{{area}}]{{/area}}{{summary}}|{{#areas}}{{name}}={{url}}{{#current}}*{{/current}},{{/areas}}|{{#items}}{{id}},{{/items}}{{/partners}}
            """])
        #expect(html["/partners/"] == "3 partners in 2 countries|Clinical Medicine=areas/clinical-medicine/index.html,Nursing=areas/nursing/index.html,|bureau,ottawa,strasbourg,")
        #expect(html["/partners/areas/nursing/"] == "[Nursing]1 partner in 1 country in Nursing|Clinical Medicine=../clinical-medicine/index.html,Nursing=index.html*,|bureau,")
        #expect(html["/partners/areas/clinical-medicine/"]?.hasPrefix("[Clinical Medicine]2 partners in 2 countries") == true)
        #expect(html["/partners/areas/pharmacy/"] == nil)
    }

    @Test func everyPartnerGetsAPageAndItsMarkdownWhenPresent() throws {
        let html = try renderPartners(["Templates/partner.mustache": "{{partner.name}}|{{partner.since_display}}|{{{page.content}}}"],
                                      extra: ["Content/partners/ottawa.md": "---\ntitle: Ottawa\n---\nSee [Strasbourg](strasbourg.md).\n"])
        #expect(html["/partners/ottawa/"] == "University of Ottawa|October 2014|<p>See <a href=\"../strasbourg/index.html\">Strasbourg</a>.</p>\n")
        #expect(html["/partners/strasbourg/"] == "University of Strasbourg||")
    }

    @Test func jsonLDCannotBreakOutOfItsScript() throws {
        let html = try renderPartners(["Templates/partner.mustache": "<script type=\"application/ld+json\">{{{json_ld}}}</script>"])
        #expect(html["/partners/bureau/"] == #"<script type="application/ld+json">{"@context":"https://schema.org","@type":"EducationalOrganization","name":"Health Bureau \u003c/script\u003e\u003cscript\u003ealert(1)\u003c/script\u003e","address":{"@type":"PostalAddress","addressLocality":"Strasbourg","addressCountry":"FR"},"knowsAbout":["Nursing"]}</script>"#)
        #expect(html["/partners/ottawa/"]?.contains(#""@type":"CollegeOrUniversity""#) == true)
    }

    @Test func aProsePageCanListPartnersByFrontMatter() throws {
        let html = try renderPartners(["Templates/page.mustache": "{{#partners}}{{#items}}{{name}};{{/items}}{{/partners}}"],
                                      extra: ["Content/france.md": "---\ntitle: France\npartners: { country: FR, area: Clinical Medicine }\n---\n"])
        #expect(html["/france/"] == "University of Strasbourg;")
    }

    @Test func partnerPagesNeedALayout() {
        #expect(throws: DiagnosticsError.self) {
            _ = try render(["Content/data/partners.yaml": partnersYAML, "site.yaml": "title: T\nareas: [Clinical Medicine, Nursing]\n"])
        }
    }

    @Test func partnersJSONKeepsFieldOrderAndIsValidJSON() throws {
        let site = try SiteLoader(fileSystem: InMemoryFileSystem(files: [
            "/s/site.yaml": "title: T\nareas: [Clinical Medicine, Nursing]\nbase_url: https://example.org/gv\n",
            "/s/Content/index.md": "---\ntitle: H\n---\n",
            "/s/Content/data/partners.yaml": partnersYAML,
            "/s/Templates/page.mustache": "",
        ])).load(root: "/s")
        let json = SiteExports.partnersJSON(site.partners, baseURL: site.config.baseURL)
        #expect(json.hasPrefix("""
            {
              "count": 3,
              "partners": [
                {
                  "id": "strasbourg",
                  "name": "University of Strasbourg",
                  "country": "FR",
                  "country_name": "France",
                  "city": "Strasbourg",
                  "kind": "university",
                  "areas": ["Clinical Medicine"],
                  "programs": [],
                  "path": "partners/strasbourg/",
                  "page_url": "https://example.org/gv/partners/strasbourg/"
                },
            """))
        #expect(json.contains(#""since": "2014-10""#))
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        #expect(parsed?["count"] as? Int == 3)
        #expect((parsed?["partners"] as? [[String: Any]])?.last?["name"] as? String == "Health Bureau </script><script>alert(1)</script>")
        #expect(SiteExports.sitemap(routes: ["/b/", "/"], baseURL: "https://example.org/gv/") == """
            <?xml version="1.0" encoding="UTF-8"?>
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
              <url><loc>https://example.org/gv/</loc></url>
              <url><loc>https://example.org/gv/b/</loc></url>
            </urlset>

            """)
    }
}
