namespace SafetyPlan.Web;

/// <summary>Paged lists (history, access log): skip/take, <c>X-Total-Count</c> and <c>Link: rel="next"</c> (api-contract.md, "Times, limits and paging").</summary>
public static class Paging
{
    /// <summary>Sets <c>X-Total-Count</c> to <paramref name="total"/> and, when more follow this page, a <c>Link</c> to the next one.</summary>
    public static void DescribePage(this HttpContext http, int first, int size, long total)
    {
        http.Response.Headers["X-Total-Count"] = total.ToString(CultureInfo.InvariantCulture);
        if ((long)first + size < total) http.Response.Headers.Link = $"<{NextPage(http.Request, first + size, size)}>; rel=\"next\"";
    }

    /// <summary>The same request with the next page's <c>skip</c> and <c>take</c>, its other parameters as they were.</summary>
    private static string NextPage(HttpRequest request, int skip, int take)
    {
        var query = request.Query
            .Where(q => q.Key is not ("skip" or "take"))
            .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)))
            .Append(new("skip", skip.ToString(CultureInfo.InvariantCulture)))
            .Append(new("take", take.ToString(CultureInfo.InvariantCulture)));
        return $"{request.PathBase}{request.Path}{QueryString.Create(query)}";
    }
}
