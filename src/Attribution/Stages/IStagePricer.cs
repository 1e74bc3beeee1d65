using Attribution.Store;

namespace Attribution.Stages;

/// <summary>Prices a session's tokens as if a given model had used them (for the counterfactual cost).</summary>
public interface IStagePricer
{
    /// <summary>USD, or null when the model has no price.</summary>
    decimal? Price(string model, StageTokens tokens);
}
