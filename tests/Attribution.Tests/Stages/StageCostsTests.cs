using Attribution.Stages;
using Attribution.Store;

namespace Attribution.Tests.Stages;

public sealed class StageCostsTests
{
    private static readonly ProviderFamilies Families = new();

    // Per million tokens: "big" costs 10/in and 50/out, "small" 1/in and 5/out.
    private static decimal? Price(string model, StageTokens tokens) => model switch
    {
        "big" => (tokens.Input * 10m + tokens.Output * 50m) / 1_000_000m,
        "small" => (tokens.Input * 1m + tokens.Output * 5m) / 1_000_000m,
        _ => null,
    };

    private static Dictionary<string, StageSession> Sessions(params StageSession[] sessions) => sessions.ToDictionary(s => s.SessionId);

    [Fact]
    public void CostFigure_AllKnown_SumsAndIsNotPartial()
    {
        var sessions = Sessions(new("a", "claude-code", "big", 1.25, StageTokens.None, null), new("b", "codex", "small", 0.5, StageTokens.None, null));

        var cost = CostFigure.Of(["a", "b", "a"], sessions);

        cost.Should().Be(new CostFigure(1.75m, false, 0));
    }

    [Fact]
    public void CostFigure_UnknownSession_IsPartialNeverZero()
    {
        var sessions = Sessions(new StageSession("a", "claude-code", "mystery", null, StageTokens.None, null));

        var onlyUnknown = CostFigure.Of(["a", "pr_review1"], sessions);
        var mixed = CostFigure.Of(["a", "b"], Sessions(new("a", "x", "m", null, StageTokens.None, null), new("b", "y", "m", 2.0, StageTokens.None, null)));

        onlyUnknown.Usd.Should().BeNull();
        onlyUnknown.Partial.Should().BeTrue();
        onlyUnknown.UnknownSessions.Should().Be(2);
        mixed.Should().Be(new CostFigure(2.0m, true, 1));
    }

    [Fact]
    public void Counterfactual_RepricesEverySessionWithTheDearestModel()
    {
        // a (claude/big): 100k in, 10k out = 1.0 + 0.5 = $1.50. b (codex/small): 200k in, 20k out = 0.2 + 0.1 = $0.30.
        var sessions = Sessions(
            new("a", "claude-code", "big", 1.5, new StageTokens(100_000, 10_000, 0, 0), null),
            new("b", "codex", "small", 0.3, new StageTokens(200_000, 20_000, 0, 0), null));

        var cf = StageCosts.Counterfactual(["a", "b"], sessions, Families, Price);

        // All on big: 1.50 + (2.0 + 1.0) = $4.50; actual $1.80; saving $2.70 = 60 %.
        cf.Provider.Should().Be("claude");
        cf.Model.Should().Be("big");
        cf.Usd.Should().Be(4.5m);
        cf.SavingUsd.Should().Be(2.7m);
        cf.SavingPercent.Should().Be(60.0);
        cf.Partial.Should().BeFalse();
    }

    [Fact]
    public void Counterfactual_SessionsWithoutUsage_AreLeftOutAndMakeItPartial()
    {
        var sessions = Sessions(new StageSession("a", "claude-code", "big", 1.5, new StageTokens(100_000, 10_000, 0, 0), null));

        var cf = StageCosts.Counterfactual(["a", "pr_impl1"], sessions, Families, Price);

        cf.Usd.Should().Be(1.5m);
        cf.SavingUsd.Should().Be(0m);
        cf.Partial.Should().BeTrue();
    }

    [Fact]
    public void Counterfactual_NothingKnown_IsNull()
    {
        var cf = StageCosts.Counterfactual(["pr_review1"], Sessions(), Families, Price);

        cf.Usd.Should().BeNull();
        cf.Provider.Should().BeNull();
    }

    [Theory]
    [InlineData("claude-code", "claude-opus-4-6", "claude")]
    [InlineData("codex", "gpt-5-codex", "codex")]
    [InlineData("aider", "ollama/qwen2.5-coder", "ollama")]
    [InlineData("aider", "gpt-4.1", "aider")]
    [InlineData("cursor", null, "cursor")]
    [InlineData(null, "claude-sonnet-4", "claude")]
    [InlineData(null, null, "unknown")]
    public void ProviderFamilies_BuiltInRules(string? agent, string? model, string expected) =>
        Families.Of(agent, model).Should().Be(expected);

    [Fact]
    public void ProviderFamilies_ConfiguredRulesWinOverBuiltIns()
    {
        var families = new ProviderFamilies(new Dictionary<string, string> { ["agent:aider"] = "Aider-Team", ["model:qwen"] = "ollama", ["junk"] = "x" });

        families.Of("aider", "gpt-4.1").Should().Be("aider-team");
        families.Of("custom", "qwen3-coder").Should().Be("ollama");
    }

    [Fact]
    public void Counterfactual_WithThePriceTable_RepricesCodexTokensAtOpusPrices()
    {
        // claude-opus-4-6 lists $5 in / $25 out per million; gpt-5-codex $1.25 / $10.
        var pricer = new PriceTableStagePricer(new Attribution.Sessions.PriceTable(), TimeProvider.System);
        var sessions = Sessions(
            new StageSession("a", "claude-code", "claude-opus-4-6", 0.75, new StageTokens(100_000, 10_000, 0, 0), null),
            new StageSession("b", "codex", "gpt-5-codex", 0.225, new StageTokens(100_000, 10_000, 0, 0), null));

        var cf = StageCosts.Counterfactual(["a", "b"], sessions, Families, pricer.Price);

        cf.Provider.Should().Be("claude");
        cf.Usd.Should().Be(1.5m);
        cf.SavingUsd.Should().Be(0.525m);
    }

    [Theory]
    [InlineData(1.5, false, 0, "$1.50")]
    [InlineData(1.8, true, 1, "$1.80 + 1 unpriced")]
    [InlineData(null, true, 2, "unknown")]
    [InlineData(null, false, 0, "$0.00")]
    public void CostFigureText_ShowsPartialAndUnknownNeverAsZero(double? usd, bool partial, int unknown, string expected) =>
        new CostFigure(usd is null ? null : (decimal)usd.Value, partial, unknown).Text().Should().Be(expected);

    [Fact]
    public void CostFigureSum_NullsCountAsUnknown()
    {
        CostFigure.Sum([0.5, null, 1.25, null]).Should().Be(new CostFigure(1.75m, true, 2));
    }
}
