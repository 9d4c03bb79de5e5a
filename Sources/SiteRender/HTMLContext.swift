/// Where in an HTML document a template's text has got to, so that each value can be checked against
/// the place it lands: HTML escaping makes a value safe in text and in a quoted attribute, but not in a
/// `<script>` or `<style>`, an event handler, a `style` attribute, an unquoted attribute, or at the start of
/// a URL (`javascript:` survives escaping). A small tokenizer after the HTML standard's, fed the template's
/// literal text; values and sections are opaque to it.
struct HTMLContext: Sendable, Equatable {
    enum State: Sendable, Equatable {
        case data
        /// After `<`.
        case tagOpen
        case tagName
        case endTagName
        case beforeAttributeName
        case attributeName
        case afterAttributeName
        case beforeAttributeValue
        /// Inside a value quoted with `quote`, or unquoted (nil).
        case attributeValue(quote: Character?)
        /// After `<!`: a comment (`<!--`) or a declaration (`<!doctype …>`).
        case markup
        case comment
        /// Inside `<script>` or `<style>` (their text is not HTML), until the matching end tag.
        case rawText(element: String)
    }

    private(set) var state: State = .data
    private var tagName = ""
    private(set) var isEndTag = false
    private(set) var attribute = ""
    /// The literal text seen so far in the current attribute value.
    private(set) var valueSoFar = ""
    /// Attributes of the current tag so far (name → literal value), for `<script type=…>`.
    private var attributes: [String: String] = [:]
    /// The `type` of the `<script>` being read, if any.
    private(set) var scriptType: String?
    private var recent = ""

    /// Where a value lands, as the check sees it.
    enum Place: Equatable {
        case text
        case comment
        /// Inside a tag, where a name goes (`<div {{x}}>`, `<{{x}}>`).
        case tagOrAttributeName
        case unquotedAttribute(String)
        /// A quoted attribute's value, with the literal text before the value in it.
        case quotedAttribute(String, before: String)
        case script(type: String?)
        case style
    }

    var place: Place {
        switch state {
        case .data: return .text
        case .comment, .markup: return .comment
        case .tagOpen, .tagName, .endTagName, .beforeAttributeName, .attributeName, .afterAttributeName:
            return .tagOrAttributeName
        case .beforeAttributeValue: return .unquotedAttribute(attribute)
        case .attributeValue(let quote):
            return quote == nil ? .unquotedAttribute(attribute) : .quotedAttribute(attribute, before: valueSoFar)
        case .rawText(let element): return element == "script" ? .script(type: scriptType) : .style
        }
    }

    /// A value was inserted here: it counts as text of the attribute value it is in (so later values in it
    /// are no longer at its start), and an unquoted value has begun.
    mutating func valueInserted() {
        switch state {
        case .beforeAttributeValue:
            state = .attributeValue(quote: nil)
            valueSoFar = "\u{FFFC}"
        case .attributeValue:
            valueSoFar += "\u{FFFC}"
        default:
            break
        }
    }

    /// HTML the engine made was inserted (balanced: it leaves the tokenizer where it was).
    mutating func feed(_ text: String) {
        for character in text { step(character) }
    }

    private mutating func step(_ c: Character) {
        switch state {
        case .data:
            if c == "<" { state = .tagOpen }
        case .tagOpen:
            if c == "!" {
                state = .markup
                recent = ""
            } else if c == "/" {
                state = .endTagName
                isEndTag = true
                tagName = ""
            } else if c.isLetter {
                state = .tagName
                isEndTag = false
                tagName = String(c).lowercased()
                attributes = [:]
            } else {
                state = .data
            }
        case .tagName, .endTagName:
            if c.isWhitespace { state = .beforeAttributeName } else if c == "/" { state = .beforeAttributeName } else if c == ">" { endTag() } else { tagName += String(c).lowercased() }
        case .beforeAttributeName:
            if c == ">" { endTag() } else if !c.isWhitespace && c != "/" {
                state = .attributeName
                attribute = String(c).lowercased()
            }
        case .attributeName:
            if c.isWhitespace { state = .afterAttributeName } else if c == "=" { startValue() } else if c == ">" { attributes[attribute] = ""; endTag() } else if c == "/" { attributes[attribute] = ""; state = .beforeAttributeName } else { attribute += String(c).lowercased() }
        case .afterAttributeName:
            if c == "=" { startValue() } else if c == ">" { attributes[attribute] = ""; endTag() } else if !c.isWhitespace {
                attributes[attribute] = ""
                state = .attributeName
                attribute = String(c).lowercased()
            }
        case .beforeAttributeValue:
            if c == "\"" || c == "'" { state = .attributeValue(quote: c) } else if c == ">" { attributes[attribute] = ""; endTag() } else if !c.isWhitespace {
                state = .attributeValue(quote: nil)
                valueSoFar = String(c)
            }
        case .attributeValue(let quote):
            if let quote, c == quote {
                attributes[attribute] = valueSoFar
                state = .beforeAttributeName
            } else if quote == nil, c.isWhitespace {
                attributes[attribute] = valueSoFar
                state = .beforeAttributeName
            } else if quote == nil, c == ">" {
                attributes[attribute] = valueSoFar
                endTag()
            } else {
                valueSoFar.append(c)
            }
        case .markup:
            recent.append(c)
            if recent == "--" {
                state = .comment
                recent = ""
            } else if c == ">" {
                state = .data
            }
        case .comment:
            recent = String((recent + String(c)).suffix(3))
            if recent == "-->" { state = .data }
        case .rawText(let element):
            recent = String((recent + String(c).lowercased()).suffix(element.count + 2))
            if recent == "</" + element { state = .endTagName; tagName = element; isEndTag = true }
        }
    }

    private mutating func startValue() {
        state = .beforeAttributeValue
        valueSoFar = ""
    }

    private mutating func endTag() {
        if !isEndTag, tagName == "script" || tagName == "style" {
            scriptType = tagName == "script" ? attributes["type"]?.lowercased() : nil
            state = .rawText(element: tagName)
            recent = ""
        } else {
            state = .data
        }
        isEndTag = false
    }
}
