using Microsoft.Extensions.Options;

namespace Attribution.Store;

/// <summary>Fails start-up with the specific sentence <see cref="DatabaseSettings.Validate"/> gives.</summary>
public sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options) =>
        DatabaseSettings.Validate(options) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
