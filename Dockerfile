# SafetyPlan for a deployment: OpenID Connect sign-in (never header sign-in), as an unprivileged user.
# Configure it as README.md, "Deploying with OpenID Connect", describes (compose.yaml does it for you).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# Set by BuildKit (amd64, arm64); the default is for a builder that does not set it.
ARG TARGETARCH=amd64
WORKDIR /src
COPY . .
# ReadyToRun: compiled ahead of time for the image's architecture, so that a start compiles less (README, Performance, row 9b).
RUN dotnet publish src/SafetyPlan -c Release -a "$TARGETARCH" --self-contained false -p:PublishReadyToRun=true -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
# The image listens on every interface (ASPNETCORE_HTTP_PORTS=8080, the .NET image's default), so it signs people in
# at the organisation's provider; development (header) sign-in would refuse to start here anyway.
ENV Auth__Mode=Oidc
# The .NET images' unprivileged user (APP_UID is set by the base image).
USER $APP_UID
EXPOSE 8080
ENTRYPOINT ["dotnet", "SafetyPlan.dll"]
