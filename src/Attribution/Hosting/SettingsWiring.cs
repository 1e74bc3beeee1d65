using Microsoft.Extensions.Options;

namespace Attribution.Hosting;

/// <summary>How every feature binds its options: typed, read from their configuration section, validated when the host starts.</summary>
public static class SettingsWiring
{
    /// <summary>
    /// Binds <typeparamref name="T"/> to <paramref name="section"/> and validates it on start (<c>serve</c> fails at start,
    /// every command before it runs); the caller adds the rules.
    /// </summary>
    public static OptionsBuilder<T> AddSettings<T>(this IServiceCollection services, IConfiguration configuration, string section)
        where T : class =>
        services.AddOptions<T>().Bind(configuration.GetSection(section)).ValidateOnStart();
}
