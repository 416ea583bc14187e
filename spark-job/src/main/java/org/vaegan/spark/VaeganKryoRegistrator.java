package org.vaegan.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import org.apache.spark.serializer.KryoRegistrator;
import org.vaegan.core.data.CachedShard;
import org.vaegan.core.data.Shard;
import org.vaegan.core.state.ModelState;
import org.vaegan.core.train.PartialUpdate;

/**
 * What crosses the wire every round (the broadcast state, the partitions' updates, cached shards)
 * goes through Kryo as plain float arrays: registered classes travel as small ids, not names,
 * and no Java serialization runs in the round path. ND4J arrays never travel (see the infra note
 * on Kryo and closed buffers).
 */
public final class VaeganKryoRegistrator implements KryoRegistrator {
    @Override
    public void registerClasses(Kryo kryo) {
        kryo.register(float[].class);
        kryo.register(float[][].class);
        kryo.register(ModelState.class);
        kryo.register(PartialUpdate.class);
        kryo.register(Shard.class);
        // Kryo 4 cannot write Java records (no field offsets on records): small records such as
        // the data plan's shard descriptions go through Java serialization; none is per round.
        kryo.addDefaultSerializer(Record.class, new JavaSerializer());
        kryo.register(CachedShard.class);
    }
}
