using Attribution.Linking;

namespace Attribution.Pages.Dashboard;

/// <summary>A link's evidence as the pages show it: sentences (from <see cref="LinkExplanation"/>), what the confidence means, the raw JSON.</summary>
public sealed record EvidenceView(IReadOnlyList<string> Sentences, string? ConfidenceText, string RawJson)
{
    public static EvidenceView ForCommit(string linkType, double confidence, string? evidenceJson) =>
        new(LinkExplanation.ForCommitLink(linkType, evidenceJson), LinkExplanation.Confidence(linkType, confidence), Ui.PrettyJson(evidenceJson));

    public static EvidenceView ForPr(string? reason, double? confidence, string? evidenceJson) =>
        new(LinkExplanation.ForPrLink(reason, evidenceJson), confidence is { } c ? LinkExplanation.Confidence(reason ?? "", c) : null, Ui.PrettyJson(evidenceJson));

    /// <summary>A sentence as HTML: every part encoded, the parts between backticks in <c>&lt;code&gt;</c>.</summary>
    public static Microsoft.AspNetCore.Html.HtmlString Html(string sentence)
    {
        ArgumentNullException.ThrowIfNull(sentence);
        var html = new System.Text.StringBuilder();
        foreach (var (text, i) in sentence.Split('`').Select((text, i) => (text, i)))
        {
            var encoded = System.Text.Encodings.Web.HtmlEncoder.Default.Encode(text);
            html.Append(i % 2 == 1 ? "<code>" + encoded + "</code>" : encoded);
        }

        return new Microsoft.AspNetCore.Html.HtmlString(html.ToString());
    }
}
