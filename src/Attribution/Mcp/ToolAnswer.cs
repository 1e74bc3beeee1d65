using ModelContextProtocol.Protocol;

namespace Attribution.Mcp;

/// <summary>
/// What a tool answers: the document as one text block, or a tool error whose text is exactly the API's message
/// (never wrapped in the SDK's "An error occurred invoking …" sentence).
/// </summary>
public static class ToolAnswer
{
    public static CallToolResult Ok(string json) => new() { Content = [new TextContentBlock { Text = json }] };

    public static CallToolResult Error(string message) => new() { IsError = true, Content = [new TextContentBlock { Text = message }] };
}
