using Attribution.Git;
using Attribution.Linking;

namespace Attribution.Tests.Linking;

public sealed class AgentMarkersTests
{
    [Theory]
    [InlineData("fix\n\nCo-Authored-By: Claude <noreply@anthropic.com>", "Dev", "dev@x.io", "claude-code", null)]
    [InlineData("fix\n\nCo-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>", "Dev", "dev@x.io", "claude-code", "claude-opus-4-6")]
    [InlineData("fix\n\nCo-authored-by: Claude Sonnet 4.5 <noreply@anthropic.com>", "Dev", "dev@x.io", "claude-code", "claude-sonnet-4-5")]
    [InlineData("fix\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)", "Dev", "dev@x.io", "claude-code", null)]
    [InlineData("fix\n\nCo-authored-by: Codex <noreply@openai.com>", "Dev", "dev@x.io", "codex", null)]
    [InlineData("fix\n\nCo-authored-by: aider (gpt-4o) <noreply@aider.chat>", "Dev", "dev@x.io", "aider", "gpt-4o")]
    [InlineData("fix", "Dev (aider)", "dev@x.io", "aider", null)]
    [InlineData("fix", "Cursor Agent", "cursoragent@cursor.com", "cursor", null)]
    [InlineData("fix\n\nMade-with: Cursor", "Dev", "dev@x.io", "cursor", null)]
    [InlineData("fix", "Copilot", "198982749+Copilot@users.noreply.github.com", "copilot", null)]
    [InlineData("fix", "google-labs-jules[bot]", "161369871+google-labs-jules[bot]@users.noreply.github.com", "jules", null)]
    [InlineData("fix", "devin-ai-integration[bot]", "158243242+devin-ai-integration[bot]@users.noreply.github.com", "devin", null)]
    [InlineData("fix\n\nCo-authored-by: openhands <openhands@all-hands.dev>", "Dev", "dev@x.io", "openhands", null)]
    [InlineData("fix\n\nCo-authored-by: Amp <amp@ampcode.com>", "Dev", "dev@x.io", "amp", null)]
    public void Detect_KnownMarker_NamesAgentAndModel(string message, string author, string email, string agent, string? model)
    {
        var marker = AgentMarkers.Detect(message, TrailerParser.Parse(message), author, email);

        marker.Should().NotBeNull();
        marker!.Agent.Should().Be(agent);
        marker.Model.Should().Be(model);
    }

    [Theory]
    [InlineData("fix bug\n\nCo-authored-by: Jane <jane@example.com>", "Dev", "dev@x.io")]
    [InlineData("Mention Claude in docs", "Claude Shannon", "claude@example.com")]
    [InlineData("", "Dev", "dev@x.io")]
    public void Detect_NoMarker_Null(string message, string author, string email)
    {
        AgentMarkers.Detect(message, TrailerParser.Parse(message), author, email).Should().BeNull();
    }
}
