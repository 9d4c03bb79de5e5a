import SiteIO
import SiteLoad
import SiteModel
import SiteWrite
import Testing
@testable import SiteRender

/// A two-language site: English at `/`, Chinese under `/zh/`.
func bilingual(_ extra: [String: String] = [:]) -> [String: String] {
    var files = [
        "site.yaml": """
            title: T
            languages:
              - {code: en, name: English}
              - {code: zh-Hans, key: zh, name: 中文}
            menu: [index.md, about.md, programs/ottawa.md]
            collections:
              partners:
                fields:
                  name: {type: localized, required: true}
                  city: localized
                  country: country
                  kind: {type: enum, values: [university, faculty]}
                  areas: {type: [enum], values: [nursing]}
                  since: year-month
                pages:
                  route: /partners/{id}/
                  layout: partner
                list: {route: /partners/, layout: partners, group: country}
                by:
                  areas: /partners/areas/{value}/

            """,
        "Content/index.md": "---\ntitle: Home\n---\n",
        "Content/index.zh.md": "---\ntitle: 首页\n---\n## 合作项目\n\n见[渥太华](programs/ottawa.md)与[关于](about.md)。\n",
        "Content/about.md": "---\ntitle: About\n---\n",
        "Content/programs/ottawa.md": "---\ntitle: Ottawa\ndate: 2024-02-03\n---\n",
        "Content/programs/ottawa.zh.md": "---\ntitle: 渥太华\ndate: 2024-02-03\n---\n",
        "Content/data/partners.yaml": """
            - id: ottawa
              name: {en: University of Ottawa, zh: 渥太华大学}
              city: {en: Ottawa, zh: 渥太华}
              country: CA
              kind: university
              areas: [nursing]
              since: 2014-10

            """,
        "Templates/strings/en.yaml": """
            switch: Language
            not_translated: not translated
            partners:
              summary: "{count} in {groups}"
              count: {one: "{n} partner", other: "{n} partners"}
              groups: {one: "{n} country", other: "{n} countries"}
              format: {description: "{kind} in {city}, {country}"}

            """,
        "Templates/strings/zh.yaml": """
            switch: 语言
            not_translated: 未翻译
            partners:
              summary: "{groups}的{count}"
              count: {one: "{n} 个合作伙伴", other: "{n} 个合作伙伴"}
              groups: {one: "{n} 个国家", other: "{n} 个国家"}
              format: {description: "{country}{city}的{kind}"}
              kind: {university: 大学, faculty: 学院}
              areas: {nursing: 护理}
            country: {CA: 加拿大}
            date: {long: "{year}年{month_number}月{day}日", month_year: "{year}年{month_number}月"}
            month: {1: 一月, 2: 二月, 3: 三月, 4: 四月, 5: 五月, 6: 六月, 7: 七月, 8: 八月, 9: 九月, 10: 十月, 11: 十一月, 12: 十二月}

            """,
        "Templates/page.mustache": """
            <html lang="{{lang}}">{{#alternates}}<link rel="alternate" hreflang="{{hreflang}}" href="{{url}}">{{/alternates}}
            {{t.switch}}:{{#languages}} {{name}}={{url}}{{^translated}}({{t.not_translated}}){{/translated}}{{#current}}*{{/current}}{{/languages}}
            menu:{{#menu}} {{title}}={{url}}{{/menu}}
            {{#list}}{{title}} {{date_display}}{{/list}}{{{page.content}}}
            """,
        "Templates/partners.mustache": "{{partners.summary}}|{{#partners.by.areas}}{{label}}={{url}}{{/partners.by.areas}}",
        "Templates/partner.mustache": "<html lang=\"{{lang}}\">{{page.title}}|{{page.description}}|{{partner.name}}|{{partner.since.display}}",
    ]
    for (path, text) in extra { files[path] = text }
    return files
}

@Suite struct LanguageTests {
    @Test func translationsLiveUnderTheLanguagePrefixAndKnowEachOther() throws {
        let html = try render(bilingual())
        #expect(html.keys.sorted() == [
            "/", "/about/", "/partners/", "/partners/areas/nursing/", "/partners/ottawa/", "/programs/", "/programs/ottawa/",
            "/zh/", "/zh/partners/", "/zh/partners/areas/nursing/", "/zh/partners/ottawa/", "/zh/programs/", "/zh/programs/ottawa/",
        ])
        let home = try #require(html["/zh/"])
        #expect(home.hasPrefix(#"<html lang="zh-Hans"><link rel="alternate" hreflang="en" href="../index.html"><link rel="alternate" hreflang="zh-Hans" href="index.html"><link rel="alternate" hreflang="x-default" href="../index.html">"#))
        #expect(home.contains("语言: English=../index.html 中文=index.html*"))
        // An untranslated page: links lead to the English page; its switcher says so for Chinese.
        #expect(home.contains("menu: 首页=index.html About=../about/index.html 渥太华=programs/ottawa/index.html"))
        #expect(home.contains(#"<a href="programs/ottawa/index.html">渥太华</a>与<a href="../about/index.html">关于</a>"#))
        let about = try #require(html["/about/"])
        #expect(about.contains("Language: English=index.html* 中文=../zh/index.html(not translated)"))
        #expect(!about.contains("hreflang"), "a page with no translation has no alternates")
        #expect(home.contains(#"<h2 id="合作项目">合作项目</h2>"#))
    }

    @Test func partnersDatesAndCountsSpeakTheLanguage() throws {
        let html = try render(bilingual(["Content/about.md": "---\ntitle: About\nlist: programs\n---\n",
                                         "Content/about.zh.md": "---\ntitle: 关于\nlist: programs\n---\n"]))
        #expect(html["/partners/"] == "1 partner in 1 country|Nursing=areas/nursing/index.html")
        #expect(html["/zh/partners/"] == "1 个国家的1 个合作伙伴|护理=areas/nursing/index.html")
        #expect(html["/zh/partners/ottawa/"] == "<html lang=\"zh-Hans\">渥太华大学|加拿大渥太华的大学|渥太华大学|2014年10月")
        #expect(html["/partners/ottawa/"] == "<html lang=\"en\">University of Ottawa|University in Ottawa, Canada|University of Ottawa|October 2014")
        #expect(html["/zh/about/"]?.contains("渥太华 2024年2月3日") == true)
        #expect(html["/about/"]?.contains("Ottawa 3 February 2024") == true)
    }

    @Test func aMissingStringIsAnErrorNamingTheLanguageAndKey() {
        var files = bilingual()
        files["Templates/strings/zh.yaml"] = "switch: 语言\n"
        let labels = [
            "Content/data/partners.yaml:4:12: error: partner 'ottawa': country 'CA' has no label in zh-Hans; add 'country.CA: …' to Templates/strings/zh.yaml",
            "Content/data/partners.yaml:5:9: error: partner 'ottawa': 'kind' 'university' has no label in zh-Hans; add 'partners.kind.university: …' to Templates/strings/zh.yaml",
            "Content/data/partners.yaml:6:11: error: partner 'ottawa': 'areas' 'nursing' has no label in zh-Hans; add 'partners.areas.nursing: …' to Templates/strings/zh.yaml",
        ]
        #expect(renderErrors(files) == labels + [
            "Templates/page.mustache:2:61: error: language zh-Hans has no string 'not_translated'; add it to Templates/strings/zh.yaml",
        ])
        // A value from the data without its label is reported at the data line that uses it; a label key
        // near it is named, as a likely typo in the table.
        files["Templates/strings/zh.yaml"] = "switch: 语言\nnot_translated: 未翻译\npartners: {kind: {univresity: 大学}}\n"
        #expect(renderErrors(files) == [labels[0], labels[1] + " (it has 'partners.kind.univresity': a typo?)", labels[2]])
        // A typo in the data is an error of the data, never a missing string.
        files["Content/data/partners.yaml"] = files["Content/data/partners.yaml"]!.replacingOccurrences(of: "kind: university", with: "kind: facutly")
        #expect(renderErrors(files) == [
            "Content/data/partners.yaml:5:9: error: partner 'ottawa': 'kind' must be one of university, faculty, found \"facutly\"; did you mean 'faculty'?",
        ])
        files["Content/data/partners.yaml"] = files["Content/data/partners.yaml"]!.replacingOccurrences(of: "kind: facutly", with: "kind: university")
        files["Templates/strings/zh.yaml"] = "switch: 语言\nnot_translated: 未翻译\ncountry: {CA: 加拿大}\npartners: {kind: {university: 大学}, areas: {nursing: 护理}}\n"
        #expect(renderErrors(files) == [
            "Templates/strings/zh.yaml: error: language zh-Hans has no string 'date.long'; add it to Templates/strings/zh.yaml",
            "Templates/strings/zh.yaml: error: language zh-Hans has no string 'date.month_year'; add it to Templates/strings/zh.yaml",
            "Templates/strings/zh.yaml: error: language zh-Hans has no string 'month.10'; add it to Templates/strings/zh.yaml",
            "Templates/strings/zh.yaml: error: language zh-Hans has no string 'month.2'; add it to Templates/strings/zh.yaml",
            "Templates/strings/zh.yaml: error: language zh-Hans has no string 'partners.count.one'; add it to Templates/strings/zh.yaml",
            "Templates/strings/zh.yaml: error: language zh-Hans has no string 'partners.format.description'; add it to Templates/strings/zh.yaml",
            "Templates/strings/zh.yaml: error: language zh-Hans has no string 'partners.groups.one'; add it to Templates/strings/zh.yaml",
            "Templates/strings/zh.yaml: error: language zh-Hans has no string 'partners.summary'; add it to Templates/strings/zh.yaml",
        ])
    }

    @Test func languagesAndLocalizedDataAreValidated() {
        #expect(renderErrors(bilingual(["site.yaml": "title: T\nlanguages:\n  - {code: en, name: English}\n  - {code: zh Hans, key: ZH, name: 中文}\n  - {code: en, name: Again}\n"])).filter { $0.hasPrefix("site.yaml") } == [
            "site.yaml:4:12: error: 'code' must be a language tag like en, fr or zh-Hans, found \"zh Hans\"",
            "site.yaml:4:26: error: 'key' must be lowercase letters, digits and '-' (it is used in file names and URLs), found \"ZH\"",
            "site.yaml:5:5: error: language 'en' (key 'en') is declared twice",
        ])
        #expect(renderErrors(bilingual(["Content/data/partners.yaml": "- id: x\n  name: {zh: 某大学, fr: Une}\n  city: A\n  country: CA\n"])) == [
            "Content/data/partners.yaml:2:9: error: partner 'x': 'name' needs a text in the default language; add 'en: …'",
            "Content/data/partners.yaml:2:19: error: partner 'x': 'name' has a text for 'fr', which is not a language of the site; site.yaml declares en, zh",
        ])
    }

    @Test func theSitemapListsEveryTranslationAsAnAlternate() throws {
        let sitemap = SiteExports.sitemap(routes: ["/about/", "/programs/", "/zh/programs/"], baseURL: "https://x.org/",
                                          translations: ["/programs/": ["en": "/programs/", "zh": "/zh/programs/"],
                                                         "/zh/programs/": ["en": "/programs/", "zh": "/zh/programs/"]],
                                          languages: [Language(code: "en", key: "en", name: "English"),
                                                      Language(code: "zh-Hans", key: "zh", name: "中文")])
        #expect(sitemap == """
            <?xml version="1.0" encoding="UTF-8"?>
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">
              <url><loc>https://x.org/about/</loc></url>
              <url>
                <loc>https://x.org/programs/</loc>
                <xhtml:link rel="alternate" hreflang="en" href="https://x.org/programs/"/>
                <xhtml:link rel="alternate" hreflang="zh-Hans" href="https://x.org/zh/programs/"/>
                <xhtml:link rel="alternate" hreflang="x-default" href="https://x.org/programs/"/>
              </url>
              <url>
                <loc>https://x.org/zh/programs/</loc>
                <xhtml:link rel="alternate" hreflang="en" href="https://x.org/programs/"/>
                <xhtml:link rel="alternate" hreflang="zh-Hans" href="https://x.org/zh/programs/"/>
                <xhtml:link rel="alternate" hreflang="x-default" href="https://x.org/programs/"/>
              </url>
            </urlset>

            """)
    }
}
