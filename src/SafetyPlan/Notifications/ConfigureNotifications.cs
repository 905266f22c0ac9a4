using JasperFx.Events.Projections;
using Wolverine.Configuration;

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
    /// sender (section <c>Smtp</c>), the webhook sender (per organisation; section <c>Webhook</c> is the organisation
    /// <c>default</c>'s fallback) and notification delivery.
    /// </summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHostedService<NotificationInboxUpgrade>();
        services.Configure<SmtpOptions>(configuration.GetSection("Smtp"));
        services.AddSingleton<EmailSender>();
        services.Configure<WebhookOptions>(configuration.GetSection("Webhook"));
        services.AddHttpClient(nameof(WebhookSender)).RemoveAllLoggers() // its log lines name the URL
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        // An organisation's admin chose these addresses: public internet only (Web/OutboundAddresses.cs).
        services.AddHttpClient(WebhookSender.OrganisationClient).RemoveAllLoggers()
            .ConfigurePrimaryHttpMessageHandler(() => Web.OutboundAddresses.Handler(allowLoopback: Auth.SignInMode.IsDevelopment(configuration)));
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<NotificationDispatcher>();
        return services;
    }

    /// <summary>The durable local queue that <see cref="DeliverNotifications"/> is handled on.</summary>
    public const string DeliveryQueue = "notification-delivery";

    /// <summary>
    /// Delivery as a Wolverine durable local queue: its messages are stored with the events that enrol them (so a crash
    /// loses none, and another node recovers a dead node's), and partitioned by plan (one message of a plan handled at a
    /// time, several plans at once). Across nodes the dispatcher's advisory lock keeps one deliverer per plan.
    /// </summary>
    public static WolverineOptions AddNotifications(this WolverineOptions options)
    {
        options.MessagePartitioning.ByMessage<DeliverNotifications>(m => m.PlanId.ToString());
        options.LocalQueue(DeliveryQueue).UseDurableInbox().PartitionProcessingByGroupId(PartitionSlots.Five);
        options.PublishMessage<DeliverNotifications>().ToLocalQueue(DeliveryQueue);
        return options;
    }
}
