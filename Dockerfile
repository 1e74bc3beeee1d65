# Attribution as a container image: build on the .NET SDK image, run on the ASP.NET runtime image as its
# non-root user, with the SQLite database on a volume. See docs/deployment.md.
#   docker build -t attribution .
#   docker run -d -p 5080:8080 -v attribution-data:/data -e ATTRIBUTION_GITHUB_WEBHOOK_SECRET=... attribution
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Attribution -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
# The runtime image brings a non-root user ($APP_UID, "app"); it owns the data folder and runs the service.
RUN mkdir /data && chown "$APP_UID" /data
USER $APP_UID
ENV ATTRIBUTION_DB=/data/attribution.db \
    ATTRIBUTION_WATCH_SESSIONS=false
VOLUME /data
EXPOSE 8080
ENTRYPOINT ["dotnet", "attribution.dll"]
CMD ["serve", "--urls", "http://0.0.0.0:8080"]
