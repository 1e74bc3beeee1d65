using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Attribution.Hosting;

/// <summary>
/// The host names requests may name (<c>AllowedHosts</c>, ASP.NET Core's host filter) when none is configured: the
/// addresses the server is bound to. A page on <c>evil.example</c> whose DNS is switched to 127.0.0.1 (DNS rebinding)
/// then reaches the server with <c>Host: evil.example</c> and is answered 400. Loopback binds allow
/// <c>localhost</c>, <c>127.0.0.1</c> and <c>[::1]</c>; a bind to every interface (<c>0.0.0.0</c>, <c>[::]</c>,
/// <c>*</c>, <c>+</c>) adds this machine's name and interface addresses; a named host allows that name.
/// Behind a proxy or under another name, set <c>AllowedHosts</c> (<c>ATTRIBUTION_ALLOWED_HOSTS</c>), <c>*</c> for any.
/// </summary>
public static class AllowedHostsDefault
{
    public const string Key = "AllowedHosts";

    private static readonly string[] Loopback = ["localhost", "127.0.0.1", "[::1]"];

    /// <summary>The <c>;</c>-separated host list for the server addresses <paramref name="urls"/> (<c>;</c>-separated).</summary>
    public static string For(string urls)
    {
        var hosts = new List<string>();
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var host = HostOf(url);
            if (host is null)
            {
                continue;
            }

            if (IsWildcard(host))
            {
                hosts.AddRange(Loopback);
                hosts.AddRange(MachineNames());
            }
            else if (host == "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip)))
            {
                hosts.AddRange(Loopback);
            }
            else
            {
                hosts.Add(host);
            }
        }

        return hosts.Count == 0 ? "*" : string.Join(';', hosts.Distinct(StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>The host of a server address such as <c>http://*:5080</c> or <c>https://[::1]:443/</c>, lower-cased.</summary>
    private static string? HostOf(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var rest = scheme < 0 ? url : url[(scheme + 3)..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            rest = rest[..slash];
        }

        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']', StringComparison.Ordinal);
            return close < 0 ? null : rest[..(close + 1)].ToLowerInvariant();
        }

        var colon = rest.LastIndexOf(':');
        var host = colon >= 0 ? rest[..colon] : rest;
        return host.Length == 0 ? null : host.ToLowerInvariant();
    }

    private static bool IsWildcard(string host) => host is "*" or "+" or "0.0.0.0" or "[::]";

    private static IEnumerable<string> MachineNames()
    {
        var names = new List<string>();
        try
        {
            var properties = IPGlobalProperties.GetIPGlobalProperties();
            names.Add(properties.HostName);
            if (!string.IsNullOrEmpty(properties.DomainName))
            {
                names.Add(properties.HostName + "." + properties.DomainName);
            }

            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                foreach (var address in nic.GetIPProperties().UnicastAddresses)
                {
                    var ip = address.Address;
                    if (ip.AddressFamily == AddressFamily.InterNetworkV6)
                    {
                        ip.ScopeId = 0;
                        names.Add("[" + ip + "]");
                    }
                    else
                    {
                        names.Add(ip.ToString());
                    }
                }
            }
        }
        catch (NetworkInformationException)
        {
            // No interface list on this platform: the loopback names and the host name remain.
        }

        return names.Where(n => n.Length > 0).Select(n => n.ToLowerInvariant());
    }
}
