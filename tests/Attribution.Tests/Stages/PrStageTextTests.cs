using Attribution.Stages;

namespace Attribution.Tests.Stages;

public sealed class PrStageTextTests
{
    private static PrStageReport Report(string? createdBy, Counterfactual counterfactual) =>
        new("acme/widgets", 42, "Sort widgets", "feat/sort", createdBy, "completed", "github", "merged", null, null, [],
            new CostFigure(1.5m, false, 0), counterfactual, null);

    [Fact]
    public void Render_ZeroSaving_SaysNoSavingInsteadOfMinusZeroPercent()
    {
        var text = PrStageText.Render(Report("dev", new Counterfactual("anthropic", "claude-opus-4-6", 1.5m, 0m, -0.0, false)));

        text.Should().Contain("All on anthropic (claude-opus-4-6): $1.50 — no saving").And.NotContain("-0%").And.NotContain("saving $0.00");
    }

    [Fact]
    public void Render_RealSaving_KeepsAmountAndPercent()
    {
        var text = PrStageText.Render(Report("dev", new Counterfactual("anthropic", "claude-opus-4-6", 3m, 1.5m, 50.0, false)));

        text.Should().Contain("— saving $1.50 (50%)");
    }

    [Fact]
    public void Render_CreatedBy_ShowsTheAuthor()
    {
        PrStageText.Render(Report("octocat", new Counterfactual(null, null, null, null, null, false))).Should().Contain("Created by: octocat\n");
    }
}
