using JasperFx.Events.Projections;
using Marten;

namespace SafetyPlan.Notifications;

/// <summary>The notifications module's part of the event store and its services: the in-app inbox, e-mail, webhook and delivery.</summary>
public static class ConfigureNotifications
{
    /// <summary>The in-app inbox: inline, one item per delivery, indexed by recipient (user or network member).</summary>
    public static StoreOptions AddNotifications(this StoreOptions options)
    {
        options.Projections.Add<NotificationInboxProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<InboxItem>().Index(i => i.RecipientUserId).Index(i => i.RecipientMemberId);
        return options;
    }

    /// <summary>
    /// The inbox upgrade (registered first, so the inbox has its current shape before anything delivers), the e-mail
    /// sender (section <c>Smtp</c>), the webhook sender (section <c>Webhook</c>) and notification delivery.
    /// </summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHostedService<NotificationInboxUpgrade>();
        services.Configure<SmtpOptions>(configuration.GetSection("Smtp"));
        services.AddSingleton<EmailSender>();
        services.Configure<WebhookOptions>(configuration.GetSection("Webhook"));
        services.AddHttpClient(nameof(WebhookSender));
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<DeliverySignal>();
        services.AddSingleton<NotificationDispatcher>();
        services.AddHostedService<BackgroundDelivery>();
        return services;
    }
}
