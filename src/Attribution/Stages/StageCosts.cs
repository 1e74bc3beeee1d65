using Attribution.Store;

namespace Attribution.Stages;

/// <summary>Cost of a set of sessions: the known part, and whether some were unknown (then it is partial, never 0).</summary>
public sealed record CostFigure(decimal? Usd, bool Partial, int UnknownSessions)
{
    /// <summary>Cost of the distinct sessions named (ids not in the store, or without a price, are unknown).</summary>
    public static CostFigure Of(IEnumerable<string?> sessionIds, IReadOnlyDictionary<string, StageSession> sessions) =>
        Sum(sessionIds.Distinct(StringComparer.Ordinal)
            .Select(id => id is not null && sessions.TryGetValue(id, out var session) ? session.CostUsd : null));

    /// <summary>Sums known costs; each null is one unknown that makes the figure partial.</summary>
    public static CostFigure Sum(IEnumerable<double?> costs)
    {
        decimal? total = null;
        var unknown = 0;
        foreach (var cost in costs)
        {
            if (cost is { } known)
            {
                total = (total ?? 0m) + (decimal)known;
            }
            else
            {
                unknown++;
            }
        }

        return new CostFigure(total is null ? null : Math.Round(total.Value, 4), unknown > 0, unknown);
    }

    /// <summary>How reports show it: <c>$1.20</c>, <c>$1.20 + 1 unpriced</c>, or <c>unknown</c> — never <c>$0</c> for unknown.</summary>
    public string Text() => this switch
    {
        { Usd: null } => UnknownSessions == 0 ? "$0.00" : "unknown",
        { Partial: true } => FormattableString.Invariant($"${Usd:0.00} + {UnknownSessions} unpriced"),
        _ => FormattableString.Invariant($"${Usd:0.00}"),
    };
}

/// <summary>What the PR would have cost with every session on the most expensive model used, and the saving.</summary>
public sealed record Counterfactual(string? Provider, string? Model, decimal? Usd, decimal? SavingUsd, double? SavingPercent, bool Partial);

/// <summary>
/// Cost maths of stage attribution (pure). The counterfactual re-prices every session whose tokens are known
/// with each model used on the PR and keeps the most expensive: "every stage on the most expensive provider used".
/// Sessions without known tokens or price are left out and make the figure partial.
/// </summary>
public static class StageCosts
{
    public static Counterfactual Counterfactual(
        IEnumerable<string?> sessionIds,
        IReadOnlyDictionary<string, StageSession> sessions,
        ProviderFamilies families,
        Func<string, StageTokens, decimal?> price)
    {
        var known = new List<StageSession>();
        var partial = false;
        foreach (var id in sessionIds.Distinct(StringComparer.Ordinal))
        {
            if (id is not null && sessions.TryGetValue(id, out var session) && session.CostUsd is not null && !session.Tokens.IsEmpty && session.Model is not null)
            {
                known.Add(session);
            }
            else
            {
                partial = true;
            }
        }

        if (known.Count == 0)
        {
            return new Counterfactual(null, null, null, null, null, partial);
        }

        string? bestModel = null;
        StageSession? bestOwner = null;
        decimal bestTotal = 0m;
        foreach (var candidate in known.DistinctBy(s => s.Model))
        {
            decimal total = 0m;
            var priced = true;
            foreach (var session in known)
            {
                if (price(candidate.Model!, session.Tokens) is { } cost)
                {
                    total += cost;
                }
                else
                {
                    priced = false;
                    break;
                }
            }

            if (priced && (bestModel is null || total > bestTotal))
            {
                bestModel = candidate.Model;
                bestOwner = candidate;
                bestTotal = total;
            }
        }

        if (bestModel is null)
        {
            return new Counterfactual(null, null, null, null, null, true);
        }

        var actual = known.Sum(s => (decimal)s.CostUsd!.Value);
        var saving = bestTotal - actual;
        return new Counterfactual(
            families.Of(bestOwner!.Agent, bestOwner.Model),
            bestModel,
            Math.Round(bestTotal, 4),
            Math.Round(saving, 4),
            bestTotal == 0m ? null : Math.Round((double)(saving / bestTotal) * 100, 1),
            partial);
    }
}
