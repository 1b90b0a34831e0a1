CREATE TABLE "oidc_signing_keys" (
	"kid" text PRIMARY KEY NOT NULL,
	"alg" text NOT NULL,
	"public_jwk" json NOT NULL,
	"private_jwk_sealed" text NOT NULL,
	"created_at" bigint NOT NULL,
	"retired_at" bigint
);
