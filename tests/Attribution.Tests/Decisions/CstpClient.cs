using System.Net;
using System.Text;
using System.Text.Json;

namespace Attribution.Tests.Decisions;

/// <summary>Posts raw JSON-RPC bodies to <c>/cstp</c> and reads the answer.</summary>
public static class CstpClient
{
    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient client, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/cstp", content);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (response.StatusCode, body);
    }

    /// <summary>Calls one method and returns its result, failing the test on an error answer.</summary>
    public static async Task<JsonElement> CallAsync(HttpClient client, string method, object parameters)
    {
        var json = JsonSerializer.Serialize(new { jsonrpc = "2.0", id = 1, method, @params = parameters });
        var (status, body) = await PostAsync(client, json);
        status.Should().Be(HttpStatusCode.OK);
        body.TryGetProperty("error", out var error).Should().BeFalse(because: error.ValueKind == JsonValueKind.Undefined ? "" : error.ToString());
        return body.GetProperty("result");
    }
}
