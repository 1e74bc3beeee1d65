namespace Attribution.Stages;

// MERGE-TODO: replace with the sessions feature's PriceTable once it lands.
internal sealed class PriceTableStagePricer : IStagePricer
{
    public decimal? Price(string model, StageTokens tokens) => null;
}
