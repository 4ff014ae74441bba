-- The processor's tables, constraints and indexes as they were before migrations were numbered.
-- Every statement tolerates what it creates already being there: a database the processor set up
-- before this file existed has all of it, and upgrades by applying this file as a no-op.

CREATE TABLE IF NOT EXISTS usuarios (
  user_id       BIGINT PRIMARY KEY CHECK (user_id > 0),
  nome          TEXT NOT NULL CHECK (length(nome) BETWEEN 1 AND 200),
  email         TEXT NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  cpf           CHAR(11) NOT NULL CHECK (cpf ~ '^[0-9]{11}$'),
  data_criacao  TIMESTAMPTZ NOT NULL,
  event_id      UUID NOT NULL UNIQUE,
  registrado_em TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX IF NOT EXISTS usuarios_email_key ON usuarios (lower(email));
CREATE UNIQUE INDEX IF NOT EXISTS usuarios_cpf_key ON usuarios (cpf);

CREATE TABLE IF NOT EXISTS assinaturas (
  user_id       BIGINT PRIMARY KEY REFERENCES usuarios (user_id) ON DELETE CASCADE,
  plano         TEXT NOT NULL CHECK (plano IN ('Básico', 'Padrão', 'Premium')),
  inicio        DATE NOT NULL,
  fim           DATE NOT NULL,
  status        TEXT NOT NULL DEFAULT 'ativa' CHECK (status IN ('ativa', 'cancelada', 'expirada')),
  atualizado_em TIMESTAMPTZ NOT NULL DEFAULT now(),
  CHECK (fim >= inicio)
);

CREATE TABLE IF NOT EXISTS pagamentos (
  pagamento_id    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id        UUID NOT NULL UNIQUE,
  user_id         BIGINT NOT NULL REFERENCES usuarios (user_id) ON DELETE CASCADE,
  valor           NUMERIC(10, 2) NOT NULL CHECK (valor > 0),
  forma_pagamento TEXT NOT NULL CHECK (forma_pagamento IN ('Cartão', 'Pix', 'Boleto')),
  status          TEXT NOT NULL CHECK (status IN ('aprovado', 'pendente', 'recusado')),
  data_pagamento  TIMESTAMPTZ NOT NULL,
  registrado_em   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS pagamentos_user_data_idx ON pagamentos (user_id, data_pagamento DESC);

CREATE TABLE IF NOT EXISTS preferencias (
  user_id       BIGINT PRIMARY KEY REFERENCES usuarios (user_id) ON DELETE CASCADE,
  idioma        TEXT NOT NULL CHECK (idioma IN ('pt-BR', 'en-US', 'es-ES', 'fr-FR')),
  notificacoes  BOOLEAN NOT NULL,
  tema          TEXT NOT NULL CHECK (tema IN ('escuro', 'claro', 'sistema')),
  atualizado_em TIMESTAMPTZ NOT NULL DEFAULT now()
);
