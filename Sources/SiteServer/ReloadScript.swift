/// The script the preview server adds to every HTML page it serves (never to files on disk): it listens for
/// reloads over Server-Sent Events and shows build errors in an overlay until a good build replaces them.
/// The stream says which page it is opened from (`?page=`: a rebuild renders that page first, see
/// `PreviewState`); each event names a version of the site, and the page reloads when it is not the one it
/// was served from (`g`), and shows nothing more once it reloads. Once the stream has said hello to a page
/// that stays, `window.orbisLive` holds its version (for tests).
enum ReloadScript {
    static let eventsPath = "/__orbis/events"

    static func tag(generation: Int) -> String {
        """
        <script data-orbis-reload>(function(){var g=\(generation),o=null,r=0;\
        var s=new EventSource("\(eventsPath)?page="+encodeURIComponent(location.pathname));\
        function v(e){if(+e.data!==g&&!r){r=1;location.reload();}}\
        s.addEventListener("hello",function(e){v(e);if(!r)window.orbisLive=+e.data;});s.addEventListener("reload",v);\
        s.addEventListener("errors",function(e){if(r)return;var d=JSON.parse(e.data);if(!o){o=document.createElement("div");\
        o.setAttribute("role","alert");o.id="orbis-errors";o.style.cssText="position:fixed;inset:0;z-index:2147483647;\
        background:rgba(20,0,0,.92);color:#fff;font:14px/1.5 ui-monospace,monospace;padding:2rem;overflow:auto;white-space:pre-wrap";\
        document.body.appendChild(o);}o.textContent="Build failed, showing the last good version underneath. Fix and save to reload.\\n\\n"+d.join("\\n");});\
        })();</script>
        """
    }

    /// Inserts the script before `</body>`, or at the end when there is none.
    static func inject(into html: String, generation: Int) -> String {
        let script = tag(generation: generation)
        if let range = html.range(of: "</body>", options: [.backwards, .caseInsensitive]) {
            return html.replacingCharacters(in: range, with: script + "</body>")
        }
        return html + script
    }
}

import Foundation
