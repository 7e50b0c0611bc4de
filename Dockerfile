FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/templates ./templates
COPY --from=build /app/locales ./locales
COPY --from=build /app/public ./public
COPY --from=build /app/src/links/providers.json ./src/links/providers.json
USER node
EXPOSE 3000
CMD ["node", "--expose-gc", "dist/src/main.js"]
