import Foundation
import SiteIO
@testable import SiteLoad
import SiteModel
@testable import SiteRender
import Testing

/// Every name a template uses is checked before rendering against what the layout receives (swift-mustache
/// would render a typo as nothing on every page), and what Mustache cannot do safely is refused.
@Suite struct TemplateCheckTests {
    func errors(_ template: String, at path: String = "Templates/page.mustache", _ extra: [String: String] = [:]) -> [String] {
        renderErrors([path: template].merging(extra) { a, _ in a })
    }

    @Test func aMistypedNameIsAnErrorAtItsTagWithTheNearestName() {
        #expect(errors("<title>{{page.titel}}</title>") == ["Templates/page.mustache:1:8: error: 'page.titel': page has no 'titel'; did you mean 'title'?"])
        #expect(errors("<p>{{site.footer}}</p>") == ["Templates/page.mustache:1:4: error: 'site.footer': site has no 'footer' (it has base_url, description, language, title)"])
        #expect(errors("{{#menus}}{{title}}{{/menus}}") == ["Templates/page.mustache:1:1: error: unknown name 'menus'; did you mean 'menu'?"])
        #expect(errors("{{#pages}}{{titel}}{{/pages}}") == ["Templates/page.mustache:1:11: error: unknown name 'titel'; did you mean 'title'?"])
        #expect(errors("{{^page.has_tco}}-{{/page.has_tco}}") == ["Templates/page.mustache:1:1: error: 'page.has_tco': page has no 'has_tco'; did you mean 'has_toc'?"])
    }

    @Test func namesResolveThroughSectionsAsMustacheDoes() {
        // Inside {{#pages}} an item's fields come first, then everything outside.
        #expect(errors("{{#pages}}{{title}} {{url}} {{site.title}} {{root}}{{/pages}}{{#page.toc}}{{id}}{{level}}{{/page.toc}}") == [])
        #expect(errors("{{#menu}}{{#current}}*{{/current}}{{title}}{{/menu}}{{#pagination}}{{#prev_url}}{{.}}{{/prev_url}}{{/pagination}}") == [])
        #expect(errors("{{#pages}}{{#first()}}first{{/first()}}{{index()}}{{/pages}}{{count(pages)}}{{#reversed(pages)}}{{title}}{{/reversed(pages)}}") == [])
        #expect(errors("{{index()}}") == ["Templates/page.mustache:1:1: error: {{index()}} is only meaningful inside a section over a list, like {{#pages}}…{{/pages}}"])
        #expect(errors("{{uppercased(pages)}}") == ["Templates/page.mustache:1:1: error: {{uppercased(pages)}}: 'uppercased' cannot be applied to a list (it takes count, empty, first, last, reversed, sorted)"])
        #expect(errors("{{page.title.x}}{{page.toc.id}}") == [
            "Templates/page.mustache:1:1: error: 'page.title.x': page.title is a single value, so it has no 'x'",
            "Templates/page.mustache:1:17: error: 'page.toc.id': page.toc is a list; go through its items with {{#page.toc}}…{{/page.toc}}",
        ])
    }

    /// One cause, one error: an unknown section is reported once, not again for every name inside it.
    @Test func whatIsInsideAnUnknownSectionIsNotReportedAgain() {
        #expect(errors("{{#pagse}}{{title}} {{url}}{{/pagse}}") == ["Templates/page.mustache:1:1: error: unknown name 'pagse'; did you mean 'pages'?"])
    }

    /// A typo in a partial is reported once, at the partial, however many layouts use it.
    @Test func aTypoInAPartialIsReportedOnceAtThePartial() {
        let problems = errors("{{> nav}}", ["Templates/home.mustache": "{{> nav}}", "Templates/section.mustache": "{{> nav}}",
                                            "Templates/partials/nav.mustache": "{{#menu}}{{titel}}{{/menu}}"])
        #expect(problems == ["Templates/partials/nav.mustache:1:10: error: unknown name 'titel'; did you mean 'title'?"])
    }

    @Test func theFieldsOfAGroupAreChecked() {
        let extra = ["site.yaml": "title: T\nparams: {author: {name: text, email: email}}\n"]
        #expect(errors("{{page.params.author.name}}{{#page.params.author}}{{email}}{{/page.params.author}}", extra) == [])
        #expect(errors("{{page.params.author.nmae}}", extra) == [
            "Templates/page.mustache:1:1: error: 'page.params.author.nmae': page.params.author has no 'nmae'; did you mean 'name'?",
        ])
    }

    @Test func dataParamsAndStringsAreChecked() {
        let extra = ["Content/data/people.yaml": "- name: Ada\n  email: ada@example.org\n- name: Alan\n",
                     "site.yaml": "title: T\nparams: {country: text}\n"]
        #expect(errors("{{#data.people}}{{name}} {{email}}{{/data.people}}{{page.params.country}}", extra) == [])
        #expect(errors("{{#data.people}}{{emial}}{{/data.people}}{{page.params.contry}}{{data.peeple}}", extra) == [
            "Templates/page.mustache:1:17: error: unknown name 'emial'; did you mean 'email'?",
            "Templates/page.mustache:1:42: error: 'page.params.contry': page.params has no 'contry'; did you mean 'country'?",
            "Templates/page.mustache:1:64: error: 'data.peeple': data has no 'peeple'; did you mean 'people'?",
        ])
        #expect(errors("{{t.nav.mian}}", ["Templates/strings/en.yaml": "nav: {main: Main}\n"])
            == ["Templates/page.mustache:1:1: error: language en has no string 'nav.mian'; did you mean 't.nav.main'? (or add 'nav.mian' to Templates/strings/en.yaml)"])
    }

    /// A site with a collection `people`, each with a page of the layout `person`.
    static let people = [
        "site.yaml": "title: T\ncollections:\n  people:\n    fields: {name: text}\n    pages: {layout: person}\n",
        "Content/data/people.csv": "id,name\nada,Ada\n",
        "Templates/person.mustache": "{{person.name}}",
    ]

    @Test func aNameOnlyAnotherKindOfPageReceivesIsNamedAsSuch() {
        #expect(errors("{{person.name}}", Self.people)
            == ["Templates/page.mustache:1:1: error: 'person' is not given to the pages that use this template (pages); only other kinds of pages receive it"])
        #expect(errors("{{person.name}}", at: "Templates/person.mustache", Self.people) == [])
        #expect(errors("{{person.nmae}}", at: "Templates/person.mustache", Self.people)
            == ["Templates/person.mustache:1:1: error: 'person.nmae': person has no 'nmae'; did you mean 'name'?"])
    }

    /// swift-mustache recurses without limit through a template that includes itself (a crash): every
    /// cycle is an error at the including tag that names it.
    @Test(arguments: [
        (["Templates/page.mustache": "<p>{{> page}}</p>"], "Templates/page.mustache:1:4: error: {{> page}} makes a cycle (page → page): a template cannot include itself, directly or through others; remove one of these includes"),
        (["Templates/page.mustache": "{{> a}}", "Templates/partials/a.mustache": "{{> b}}", "Templates/partials/b.mustache": "x{{> a}}"],
         "Templates/partials/b.mustache:1:2: error: {{> a}} makes a cycle (partials/a → partials/b → partials/a): a template cannot include itself, directly or through others; remove one of these includes"),
        (["Templates/page.mustache": "{{<base}}{{$main}}x{{/main}}{{/base}}", "Templates/partials/base.mustache": "{{$main}}{{/main}}{{<base}}{{/base}}"],
         "Templates/partials/base.mustache:1:19: error: {{< base}} makes a cycle (partials/base → partials/base): a template cannot include itself, directly or through others; remove one of these includes"),
        (["Templates/page.mustache": "{{#pages}}{{> page}}{{/pages}}"], "Templates/page.mustache:1:11: error: {{> page}} makes a cycle (page → page): a template cannot include itself, directly or through others; remove one of these includes"),
    ])
    func aTemplateIncludingItselfIsAnErrorNamingTheCycle(files: [String: String], expected: String) {
        #expect(renderErrors(files) == [expected])
    }

    /// Raw output only for engine-made HTML, whatever the delimiters; pragmas could turn escaping off.
    @Test func escapingCannotBeTurnedOff() {
        #expect(errors("{{=<% %>=}}<%& page.title %>") == ["Templates/page.mustache:1:12: error: 'page.title' is inserted without HTML escaping; write {{page.title}} (only HTML the engine made may be: content, item.content, json_ld, page.content and a collection's markdown fields)"])
        #expect(errors("{{=<% %>=}}<%{page.title%>}") == ["Templates/page.mustache:1:12: error: 'page.title' is inserted without HTML escaping; write {{page.title}} (only HTML the engine made may be: content, item.content, json_ld, page.content and a collection's markdown fields)"])
        #expect(errors("{{%CONTENT_TYPE:TEXT}}{{page.title}}") == ["Templates/page.mustache:1:1: error: pragmas ({{%...}}) are not allowed in templates: Orbis decides how values are escaped"])
        #expect(errors("{{>*page.title}}") == ["Templates/page.mustache:1:1: error: dynamic partials ({{>*name}}) are not supported: Orbis checks every partial a template uses before rendering; name the partial"])
        #expect(errors("{{<*page.title}}{{/page.title}}") == ["Templates/page.mustache:1:1: error: dynamic partials ({{<*name}}) are not supported: Orbis checks every partial a template uses before rendering; name the partial"])
        #expect(errors("{{=<% %>=}}<% page.title %><%={{ }}=%>{{page.titel}}") == ["Templates/page.mustache:1:39: error: 'page.titel': page has no 'titel'; did you mean 'title'?"])
    }

    @Test func aBlockTheParentDoesNotHaveIsAnError() {
        #expect(errors("{{<base}}{{$mian}}x{{/mian}}{{/base}}", ["Templates/partials/base.mustache": "<main>{{$main}}{{/main}}</main>"])
            == ["Templates/page.mustache:1:10: error: block 'mian' is not in Templates/partials/base.mustache, so what it holds is never shown; did you mean 'main'?"])
        #expect(errors("{{<base}}{{$main}}{{page.titel}}{{/main}}{{/base}}", ["Templates/partials/base.mustache": "<main>{{$main}}{{/main}}</main>"])
            == ["Templates/page.mustache:1:19: error: 'page.titel': page has no 'titel'; did you mean 'title'?"])
    }
}

/// The names the check accepts are the names the engine gives: every key of every context a real site
/// renders is in the schema (so the check never refuses a name the engine provides).
@Suite struct ContextSchemaTests {
    @Test func everyNameAContextHoldsIsInTheSchema() throws {
        let fs = DiskFileSystem()
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let site = try SiteLoader(fileSystem: fs).load(root: root)
        let recorder = ContextRecorder()
        let renderers = try LanguageRenderers(site: site)
        renderers.recordContexts(recorder.record)
        _ = try renderers.renderAll()
        let contexts = recorder.all
        #expect(contexts.count > 40)
        let shapes = renderers.layoutShapes()
        #expect(Set(contexts.map(\.0)).isSuperset(of: ["home", "404", "partner", "partners", "programme", "programmes"]))
        for (layout, context) in contexts {
            let shape = try #require(shapes[layout], "layout \(layout)")
            for missing in Self.missing(shape, .object(context), path: "") {
                Issue.record("layout \(layout) receives '\(missing)', which ContextSchema does not list")
            }
        }
    }

    /// The key paths of `value` that `shape` does not have.
    static func missing(_ shape: ContextShape, _ value: TemplateValue, path: String) -> [String] {
        switch (shape, value) {
        case (.any, _): return []
        case let (.object(fields), .object(dictionary)):
            return dictionary.flatMap { key, child -> [String] in
                let childPath = path.isEmpty ? key : path + "." + key
                guard let field = fields[key] else { return [childPath] }
                return missing(field, child, path: childPath)
            }
        case let (.list(item), .list(array)):
            return array.flatMap { missing(item, $0, path: path + "[]") }
        // A kind the check trusts must be what the engine gives: a "number" that could hold text would let
        // text into a <script>.
        // A value left out (see `absent`) may stand for any declared name; one never given may only be absent.
        case (_, .absent): return []
        case (.unavailable, _): return ["\(path) (\(value), where nothing is given)"]
        case (.scalar(.number), .int), (.scalar(.number), .double), (.scalar(.bool), .bool),
             (.scalar(.text), .text), (.scalar(.url), .text), (.scalar(.html), .text): return []
        default: return ["\(path) (\(value), not \(shape))"]
        }
    }
}

final class ContextRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var contexts: [(String, TemplateContext)] = []
    var all: [(String, TemplateContext)] { lock.withLock { contexts } }
    func record(_ context: TemplateContext, _ layout: String) { lock.withLock { contexts.append((layout, context)) } }
}

/// HTML escaping makes a value safe in text and in quoted attributes, nowhere else: a value elsewhere is an
/// error at its tag unless the engine guarantees it (a URL it made or checked, a number).
@Suite struct TemplatePlaceTests {
    func errors(_ template: String, _ extra: [String: String] = [:]) -> [String] {
        renderErrors(["Templates/page.mustache": template].merging(extra) { a, _ in a })
    }

    @Test(arguments: [
        ("<h1 class={{page.title}}>x</h1>", "Templates/page.mustache:1:11: error: {{page.title}} is the value of class= without quotes, so a space in it starts a new attribute; write class=\"{{page.title}}\""),
        ("<script>var n = {{page.title}};</script>", "Templates/page.mustache:1:17: error: {{page.title}} is inside <script>, where HTML escaping does not make a value safe (a quote or </script> in it ends the script's text); put the value in a data- attribute and read it from the script, or use a number"),
        ("<p style=\"color: {{page.title}}\">x</p>", "Templates/page.mustache:1:18: error: {{page.title}} is in style=, which takes CSS, where HTML escaping does not make a value safe; use a class for each case instead"),
        ("<style>p { color: {{page.title}} }</style>", "Templates/page.mustache:1:19: error: {{page.title}} is inside <style>, where HTML escaping does not make a value safe; use a class for each case instead"),
        ("<a href=\"#\" onclick=\"go('{{page.title}}')\">x</a>", "Templates/page.mustache:1:26: error: {{page.title}} is in onclick=, which runs its value as script: HTML escaping does not make a value safe there; move the script to a file in Templates/assets/ and read the value from a data- attribute"),
        ("<a href=\"{{page.title}}\">x</a>", "Templates/page.mustache:1:10: error: {{page.title}} starts the value of href=, so it decides where it leads (a 'javascript:' value would run); only a URL the engine made or checked may start it (a page's url, root, or a field declared as url), or put a fixed part first, like href=\"#{{page.title}}\""),
        ("<img src=\"{{root}}{{page.title}}\" alt=\"\">", "Templates/page.mustache:1:19: error: {{page.title}} starts the value of src=, so it decides where it leads (a 'javascript:' value would run); only a URL the engine made or checked may start it (a page's url, root, or a field declared as url), or put a fixed part first, like src=\"#{{page.title}}\""),
        ("<div {{page.title}}>x</div>", "Templates/page.mustache:1:6: error: {{page.title}} is where a tag or attribute name goes, so it could add any attribute (an onclick, say); write values only inside quoted attribute values, like title=\"{{page.title}}\""),
        ("<iframe srcdoc=\"{{page.title}}\"></iframe>", "Templates/page.mustache:1:17: error: {{page.title}} is in srcdoc=, whose value is a whole HTML document (escaping does not make it safe); link a page with src= instead"),
        ("<p title=\"{{{page.content}}}\">x</p>", "Templates/page.mustache:1:11: error: {{{page.content}}} puts HTML inside the attribute title=; HTML goes only in text"),
    ])
    func aValueWhereEscapingIsNotEnoughIsAnError(template: String, expected: String) {
        #expect(errors(template) == [expected])
    }

    @Test func valuesTheEngineGuaranteesAndSafePlacesPass() {
        let template = """
            <a href="{{page.url}}" title="{{page.title}}">{{page.title}}</a><img src="{{root}}assets/x.png" alt="{{page.title}}">
            <a href="#{{page.title}}">x</a><a href="mailto:{{page.title}}">m</a><a href="{{root}}tags/{{page.title}}/">t</a>
            <!-- {{page.title}} --><textarea>{{page.title}}</textarea><div class="x {{page.title}}" data-x="{{page.title}}">{{{page.content}}}</div>
            <script>var w = {{page.weight}};</script><p style="width: {{page.weight}}px" data-n={{page.weight}}>x</p>
            {{#menu}}<a href="{{url}}">{{title}}</a>{{/menu}}{{#page.toc}}<a href="{{url}}">{{text}}</a>{{/page.toc}}
            """
        #expect(errors(template) == [])
        var people = TemplateCheckTests.people
        people["site.yaml"]! += "    json_ld: {name: name}\n"
        people["Templates/person.mustache"] = "<script type=\"application/ld+json\">{{{json_ld}}}</script>"
        #expect(renderErrors(people) == [])
        people["Templates/person.mustache"] = "<script>{{{json_ld}}}</script>"
        #expect(renderErrors(people).count == 1, "only as JSON-LD")
    }

    @Test func fieldsDeclaredAsURLsOrNumbersAreTrustedAndDataTextIsNot() {
        let extra = ["site.yaml": "title: T\nparams: {link: url, n: integer}\n", "Content/data/links.yaml": "- {url: 'javascript:alert(1)', n: 3}\n"]
        #expect(errors("<a href=\"{{page.params.link}}\">x</a><script>var n = {{page.params.n}};</script>", extra) == [])
        #expect(errors("{{#data.links}}<a href=\"{{url}}\">x</a><script>f({{n}})</script>{{/data.links}}", extra)
            == ["Templates/page.mustache:1:25: error: {{url}} starts the value of href=, so it decides where it leads (a 'javascript:' value would run); only a URL the engine made or checked may start it (a page's url, root, or a field declared as url), or put a fixed part first, like href=\"#{{url}}\""])
    }

    /// The place flows through partials and parents as the page renders.
    @Test func placesFlowThroughPartialsAndBlocks() {
        #expect(errors("<a href=\"{{> start}}\">x</a>", ["Templates/partials/start.mustache": "{{page.title}}"])
            == ["Templates/partials/start.mustache:1:1: error: {{page.title}} starts the value of href=, so it decides where it leads (a 'javascript:' value would run); only a URL the engine made or checked may start it (a page's url, root, or a field declared as url), or put a fixed part first, like href=\"#{{page.title}}\""])
        #expect(errors("{{<base}}{{$x}}{{page.title}}{{/x}}{{/base}}", ["Templates/partials/base.mustache": "<script>{{$x}}{{/x}}</script>"])
            == ["Templates/page.mustache:1:16: error: {{page.title}} is inside <script>, where HTML escaping does not make a value safe (a quote or </script> in it ends the script's text); put the value in a data- attribute and read it from the script, or use a number"])
    }
}
