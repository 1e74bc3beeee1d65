using Microsoft.Extensions.Options;

namespace Attribution.Sessions;

/// <summary>Rejects an <c>ATTRIBUTION_PRICES</c> file that is missing or malformed, naming the problem.</summary>
public sealed class SessionOptionsValidator : IValidateOptions<SessionOptions>
{
    public ValidateOptionsResult Validate(string? name, SessionOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.PricesPath))
        {
            return ValidateOptionsResult.Success;
        }

        try
        {
            PriceTable.Load(options.PricesPath);
            return ValidateOptionsResult.Success;
        }
        catch (InvalidDataException ex)
        {
            return ValidateOptionsResult.Fail(ex.Message);
        }
    }
}
