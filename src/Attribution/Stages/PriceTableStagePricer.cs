using Attribution.Sessions;
using Attribution.Store;

namespace Attribution.Stages;

/// <summary>Re-prices a session's tokens with another model's current prices from the sessions' price table.</summary>
internal sealed class PriceTableStagePricer(PriceTable prices, TimeProvider time) : IStagePricer
{
    public decimal? Price(string model, StageTokens tokens) =>
        prices.Cost(model, time.GetUtcNow(), tokens.Input, tokens.Output, tokens.CacheWrite, tokens.CacheRead);
}
